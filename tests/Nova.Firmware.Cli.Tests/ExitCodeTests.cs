using System.Text.Json;
using Nova.Firmware.Cli.Tests.Infrastructure;

namespace Nova.Firmware.Cli.Tests;

/// <summary>The documented exit codes and one-line messages, for each way a command can go wrong.</summary>
public sealed class ExitCodeTests
{
    [Fact]
    public async Task UnknownOption_ExitsTwo_WithUsageHint()
    {
        using var cli = new CliRunner();

        var result = await cli.RunAsync("devices", "list", "--colour", "red");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--colour", result.Error, StringComparison.Ordinal);
        Assert.Contains("novafw --help", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServerDown_ExitsThree_SayingWhichServer()
    {
        using var cli = new CliRunner();

        // Port 1 on the loopback: nothing listens there, the connection is refused at once.
        var result = await cli.RunAsync("--server", "http://127.0.0.1:1", "--api-key", "nfk_whatever", "devices", "list");

        Assert.Equal(3, result.ExitCode);
        Assert.StartsWith("novafw: Cannot reach the server at http://127.0.0.1:1/", result.Error, StringComparison.Ordinal);
        Assert.Equal("", result.Output);
    }

    [Fact]
    public async Task NoApiKey_ExitsFour_SayingHowToSetOne()
    {
        using var cli = new CliRunner();

        var result = await cli.RunAsync("--server", "http://127.0.0.1:1", "packages", "list");

        Assert.Equal(4, result.ExitCode);
        Assert.Contains("novafw config set --api-key", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongApiKey_ExitsFour_WithTheProblemTitle()
    {
        var (server, cli) = await CliServer.StartAsync();
        await using var _ = server;
        using var __ = cli;

        var result = await cli.RunAsync("--api-key", "nfk_not-a-key-this-server-issued", "packages", "list");

        Assert.Equal(4, result.ExitCode);
        Assert.Contains("check the API key", result.Error, StringComparison.Ordinal);
        Assert.Single(result.Error.TrimEnd().Split('\n'));
    }

    [Fact]
    public async Task ViewerKey_StartingARollout_ExitsFour_RoleTooLow()
    {
        var (server, cli) = await CliServer.StartAsync(role: "viewer");
        await using var _ = server;
        using var __ = cli;

        var result = await cli.RunAsync("rollouts", "start", "1");

        Assert.Equal(4, result.ExitCode);
        Assert.Contains("role is too low", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownDevice_ExitsFive()
    {
        var (server, cli) = await CliServer.StartAsync();
        await using var _ = server;
        using var __ = cli;

        var byName = await cli.RunAsync("devices", "show", "gw-nobody");
        var byId = await cli.RunAsync("devices", "show", Guid.NewGuid().ToString());

        Assert.Equal(5, byName.ExitCode);
        Assert.Contains("gw-nobody", byName.Error, StringComparison.Ordinal);
        Assert.Equal(5, byId.ExitCode);
    }

    [Fact]
    public async Task InvalidQueryValue_ExitsTwo_NamingTheParameter()
    {
        var (server, cli) = await CliServer.StartAsync();
        await using var _ = server;
        using var __ = cli;

        var result = await cli.RunAsync("devices", "list", "--page-size", "100000");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("pageSize", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_PrintsTheServersPage()
    {
        var (server, cli) = await CliServer.StartAsync(role: "viewer");
        await using var _ = server;
        using var __ = cli;

        var result = await cli.RunAsync("packages", "list", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var page = JsonDocument.Parse(result.Output).RootElement;
        Assert.Equal(0, page.GetProperty("total").GetInt32());
        Assert.Equal(JsonValueKind.Array, page.GetProperty("items").ValueKind);
    }
}
