using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using Nova.Firmware.Server.Hosting;

namespace Nova.Firmware.Server.Tests.Hosting;

/// <summary>
/// The log levels and format the server starts with when nothing else says: built the way
/// Program.cs builds it, from a directory without appsettings.json, as a Release build is often run.
/// </summary>
public sealed class LoggingDefaultsTests : IDisposable
{
    private readonly string _emptyContentRoot = Directory.CreateTempSubdirectory("nova-logging-").FullName;

    private WebApplication Build(params string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = _emptyContentRoot, EnvironmentName = "Production" });
        builder.AddNovaLogging();
        return builder.Build();
    }

    [Fact]
    public async Task AddNovaLogging_NoAppSettings_SqlCommandsStayBelowInformationAndJobsAreLogged()
    {
        await using var app = Build();
        var loggers = app.Services.GetRequiredService<ILoggerFactory>();

        Assert.False(loggers.CreateLogger("Microsoft.EntityFrameworkCore.Database.Command").IsEnabled(LogLevel.Information));
        Assert.True(loggers.CreateLogger("Microsoft.EntityFrameworkCore.Database.Command").IsEnabled(LogLevel.Warning));
        Assert.False(loggers.CreateLogger("Microsoft.AspNetCore.Routing.EndpointMiddleware").IsEnabled(LogLevel.Information));
        Assert.True(loggers.CreateLogger("Nova.Firmware.Engine.Jobs.DeviceJobStepper").IsEnabled(LogLevel.Information));
        Assert.True(loggers.CreateLogger("Microsoft.Hosting.Lifetime").IsEnabled(LogLevel.Information));
    }

    [Fact]
    public async Task AddNovaLogging_LevelSetOnTheCommandLine_OverridesTheDefault()
    {
        await using var app = Build("--Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command=Information");
        var loggers = app.Services.GetRequiredService<ILoggerFactory>();

        Assert.True(loggers.CreateLogger("Microsoft.EntityFrameworkCore.Database.Command").IsEnabled(LogLevel.Information));
    }

    [Theory]
    [InlineData("json", ConsoleFormatterNames.Json)]
    [InlineData("JSON", ConsoleFormatterNames.Json)]
    [InlineData("systemd", ConsoleFormatterNames.Systemd)]
    [InlineData("text", ConsoleFormatterNames.Simple)]
    public async Task AddNovaLogging_Format_ChoosesTheConsoleFormatter(string format, string formatter)
    {
        await using var app = Build($"--Nova:Logging:Format={format}");

        Assert.Equal(formatter, app.Services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue.FormatterName);
    }

    [Fact]
    public async Task AddNovaLogging_StandardJsonFormatterSetting_GetsUtcTimestamps()
    {
        await using var app = Build("--Logging:Console:FormatterName=json");

        Assert.Equal(ConsoleFormatterNames.Json, app.Services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue.FormatterName);
        var json = app.Services.GetRequiredService<IOptionsMonitor<JsonConsoleFormatterOptions>>().CurrentValue;
        Assert.True(json.UseUtcTimestamp);
        Assert.NotNull(json.TimestampFormat);
    }

    [Fact]
    public void AddNovaLogging_UnknownFormat_FailsAtStartNamingTheSetting()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Build("--Nova:Logging:Format=xml"));
        Assert.Contains("Nova:Logging:Format", e.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_emptyContentRoot, recursive: true);
}
