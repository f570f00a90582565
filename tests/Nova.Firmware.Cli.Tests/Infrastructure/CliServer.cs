using Nova.Firmware.Server.Tests.Infrastructure;

namespace Nova.Firmware.Cli.Tests.Infrastructure;

/// <summary>An in-process server and a runner whose saved config points at it with an API key of the given role.</summary>
public static class CliServer
{
    /// <summary>The in-process test host answers any host name; this one is what the CLI is told.</summary>
    public const string Url = "http://localhost";

    public static async Task<(NovaServer Server, CliRunner Cli)> StartAsync(string role = "admin", IReadOnlyDictionary<string, string>? settings = null)
    {
        var server = await NovaServer.StartAsync(settings: settings);
        var key = await server.CreateApiKeyAsync("cli-tests", role);
        var cli = new CliRunner(server).With("NOVAFW_SERVER", Url).With("NOVAFW_API_KEY", key.Key);
        return (server, cli);
    }
}
