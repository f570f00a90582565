using Nova.Firmware.Cli.Tests.Infrastructure;
using Nova.Firmware.Server.Tests.Infrastructure;

namespace Nova.Firmware.Cli.Tests;

/// <summary>The saved config file: where it is, who may read it, and what overrides it.</summary>
public sealed class ConfigTests
{
    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task ConfigSet_WritesUserOnlyFile_ThatLaterCommandsUse()
    {
        await using var server = await NovaServer.StartAsync();
        var key = await server.CreateApiKeyAsync("cli", "viewer");
        using var cli = new CliRunner(server);

        var set = await cli.RunAsync("config", "set", "--server", CliServer.Url, "--api-key", key.Key);
        var list = await cli.RunAsync("packages", "list", "--json");

        Assert.Equal(0, set.ExitCode);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(cli.ConfigFile));
        Assert.Contains(key.Key, await File.ReadAllTextAsync(cli.ConfigFile), StringComparison.Ordinal);
        Assert.True(list.ExitCode == 0, list.ToString());
    }

    [Fact]
    public async Task EnvironmentVariable_OverridesTheSavedServer()
    {
        using var cli = new CliRunner();
        await cli.RunAsync("config", "set", "--server", "http://127.0.0.1:2", "--api-key", "nfk_saved");

        var result = await cli.With("NOVAFW_SERVER", "http://127.0.0.1:1").RunAsync("devices", "list");

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("http://127.0.0.1:1/", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfigSet_BadUrl_ExitsTwo_AndWritesNothing()
    {
        using var cli = new CliRunner();

        var result = await cli.RunAsync("config", "set", "--server", "ftp://example", "--api-key", "nfk_x");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("not a server URL", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(cli.ConfigFile));
    }
}
