using Nova.Firmware.Cli.Config;

namespace Nova.Firmware.Cli.Api;

/// <summary>Which server and key a command uses: option, then environment, then config file, then the default.</summary>
public sealed record Connection(Uri Server, string? ApiKey)
{
    public const string DefaultServer = "http://127.0.0.1:5080";

    public static Connection Resolve(string? serverOption, string? apiKeyOption, CliContext context)
    {
        var config = CliConfig.Load(CliConfig.PathFor(context.Environment));
        var server = First(serverOption, context.Environment("NOVAFW_SERVER"), config.Server) ?? DefaultServer;
        var apiKey = First(apiKeyOption, context.Environment("NOVAFW_API_KEY"), config.ApiKey);
        return new Connection(ParseServer(server), apiKey);
    }

    /// <summary>An absolute http(s) URL; anything else is a usage error naming the value.</summary>
    public static Uri ParseServer(string value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Host.Length == 0)
        {
            throw CliException.Invalid($"'{value}' is not a server URL; give one like http://127.0.0.1:5080.");
        }
        // The API lives under the server's path; a trailing slash makes relative paths resolve below it.
        return uri.AbsolutePath.EndsWith('/') ? uri : new Uri(uri + "/");
    }

    private static string? First(params string?[] values) => values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));
}
