using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.Logging.Console;

namespace Nova.Firmware.Server.Hosting;

/// <summary>
/// Log levels and format an operator can live with. At information level the log says what
/// happened to jobs, recovery runs, packages and devices, once each; framework chatter (every SQL
/// command, every request) stays at warning. The defaults sit below every other configuration
/// source, so appsettings.json, environment variables and the command line still override them,
/// and they hold even when the server is started from a directory without its appsettings.json
/// (a Release build run as <c>dotnet path/to/Nova.Firmware.Server.dll</c>).
/// </summary>
public static class NovaLogging
{
    public const string FormatKey = "Nova:Logging:Format";

    public static readonly IReadOnlyDictionary<string, string?> DefaultLevels = new Dictionary<string, string?>
    {
        ["Logging:LogLevel:Default"] = "Information",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Warning",
        // Named on its own: a broader "Microsoft.EntityFrameworkCore=Information" set elsewhere must
        // still not print every SQL command (about 10,000 lines in two minutes of a small flash).
        ["Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command"] = "Warning",
        ["Logging:LogLevel:System.Net.Http.HttpClient"] = "Warning",
        ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Information",
    };

    public static WebApplicationBuilder AddNovaLogging(this WebApplicationBuilder builder)
    {
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = DefaultLevels });
        // A log collector wants one instant in UTC per line, whichever setting chose JSON; only
        // when nobody configured a timestamp format. The other formatters keep theirs.
        builder.Services.Configure<JsonConsoleFormatterOptions>(o =>
        {
            if (o.TimestampFormat is null)
            {
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                o.UseUtcTimestamp = true;
            }
        });
        var format = builder.Configuration[FormatKey];
        if (string.IsNullOrWhiteSpace(format))
        {
            return builder;
        }
        var formatter = format.Trim().ToLowerInvariant() switch
        {
            "json" => ConsoleFormatterNames.Json,
            "text" or "simple" => ConsoleFormatterNames.Simple,
            "systemd" => ConsoleFormatterNames.Systemd,
            _ => throw new InvalidOperationException($"{FormatKey} '{format}' is not a log format: use text, json or systemd."),
        };
        builder.Services.Configure<ConsoleLoggerOptions>(o => o.FormatterName = formatter);
        return builder;
    }
}
