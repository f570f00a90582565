using System.Security.Cryptography;
using System.Text.Json;
using Nova.Firmware.Cli.Tests.Infrastructure;

namespace Nova.Firmware.Cli.Tests;

/// <summary>Devices from CSV, DDI tokens, and a rollout created, started, cancelled and watched through the CLI.</summary>
public sealed class DeviceAndRolloutTests : IDisposable
{
    private const string Csv = """
        controllerId,vendor,model,hardwareRevision,soc,serial,kind,protocol,activeVersion
        gw-a,Acme,GW-100,1.0,aarch64,SN-A,gateway,ddi,1.0.0
        gw-b,Acme,GW-100,1.0,aarch64,SN-B,gateway,ddi,1.0.0
        """;

    private readonly string _directory = Directory.CreateTempSubdirectory("novafw-devices-").FullName;

    [Fact]
    public async Task ImportCsv_BadLine_ExitsTwo_NamingTheLine_AndImportsNothing()
    {
        var (server, cli) = await CliServer.StartAsync(role: "operator");
        await using var _ = server;
        using var __ = cli;

        var result = await cli.RunWithInputAsync(Csv + "\ngw-c,Acme,GW-100,1.0,aarch64,SN-C,toaster,ddi,1.0.0\n", "devices", "import", "-");
        var list = await cli.RunAsync("devices", "list", "--json");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Import rejected", result.Error, StringComparison.Ordinal);
        Assert.Contains("line 4 kind", result.Error, StringComparison.Ordinal);
        Assert.Equal(0, JsonDocument.Parse(list.Output).RootElement.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task ImportCsv_ThenEnrol_IssuesAToken_AndRefusesAShortOne()
    {
        var (server, cli) = await CliServer.StartAsync(role: "operator");
        await using var _ = server;
        using var __ = cli;
        var csv = Path.Combine(_directory, "devices.csv");
        await File.WriteAllTextAsync(csv, Csv);

        var imported = await cli.RunAsync("devices", "import", csv);
        var table = await cli.RunAsync("devices", "list");
        var generated = await cli.RunAsync("devices", "enrol", "gw-a", "--json");
        var tooShort = await cli.RunAsync("devices", "enrol", "gw-b", "--token", "gw-b");

        Assert.True(imported.ExitCode == 0, imported.ToString());
        Assert.Contains("Imported 2 device(s).", imported.Output, StringComparison.Ordinal);
        Assert.Contains("gw-a", table.Output, StringComparison.Ordinal);
        Assert.Contains("gw-b", table.Output, StringComparison.Ordinal);
        Assert.True(generated.ExitCode == 0, generated.ToString());
        Assert.True(JsonDocument.Parse(generated.Output).RootElement.GetProperty("token").GetString()!.Length >= 16);
        Assert.Equal(2, tooShort.ExitCode);
        Assert.Contains("token", tooShort.Error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Rollout_PreviewCreateStartCancelWatch()
    {
        var (server, cli) = await CliServer.StartAsync(role: "operator");
        await using var _ = server;
        using var __ = cli;
        await cli.RunWithInputAsync(Csv, "devices", "import", "-");
        var image = Path.Combine(_directory, "gw.img");
        await File.WriteAllBytesAsync(image, RandomNumberGenerator.GetBytes(4096));
        var package = JsonDocument.Parse((await cli.RunAsync("packages", "import", image, "--vendor", "Acme", "--model", "GW-100", "--soc", "aarch64",
            "--version", "2.0.0", "--revision", "1.0", "--json")).Output).RootElement.GetProperty("id").GetString()!;

        var preview = await cli.RunAsync("rollouts", "preview", "--package", package, "--model", "GW-100", "--json");
        var created = await cli.RunAsync("rollouts", "create", "--package", package, "--model", "GW-100", "--name", "cli test", "--json");
        var id = JsonDocument.Parse(created.Output).RootElement.GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var started = await cli.RunAsync("rollouts", "start", id);
        var cancelled = await cli.RunAsync("rollouts", "cancel", id);
        var watched = await cli.RunAsync("rollouts", "watch", id, "--interval", "0.2");
        cli.Interactive = true; // the live progress bars, as on a terminal
        var watchedLive = await cli.RunAsync("rollouts", "watch", id, "--interval", "0.2");
        cli.Interactive = false;
        var again = await cli.RunAsync("rollouts", "start", id);

        Assert.True(preview.ExitCode == 0, preview.ToString());
        Assert.Contains("2", JsonDocument.Parse(preview.Output).RootElement.ToString(), StringComparison.Ordinal);
        Assert.True(created.ExitCode == 0, created.ToString());
        Assert.Equal("ready", JsonDocument.Parse(created.Output).RootElement.GetProperty("status").GetString());
        Assert.True(started.ExitCode == 0, started.ToString());
        Assert.Contains("running", started.Output, StringComparison.Ordinal);
        Assert.True(cancelled.ExitCode == 0, cancelled.ToString());
        Assert.Equal(1, watched.ExitCode);
        Assert.Contains("cancelled", watched.Output, StringComparison.Ordinal);
        Assert.True(watchedLive.ExitCode == 1, watchedLive.ToString());
        Assert.Contains("wave 1 of 1: 2/2 done", watchedLive.Output, StringComparison.Ordinal);
        Assert.Equal(5, again.ExitCode);
    }

    [Fact]
    public async Task Rollout_WithoutTarget_ExitsTwo_BeforeAskingTheServer()
    {
        using var cli = new CliRunner();

        var result = await cli.RunAsync("--server", "http://127.0.0.1:1", "--api-key", "nfk_x", "rollouts", "create", "--package", Guid.NewGuid().ToString());

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Say which devices", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Diagnose_FromStandardInput_NamesTheCause()
    {
        var (server, cli) = await CliServer.StartAsync(role: "viewer");
        await using var _ = server;
        using var __ = cli;

        var result = await cli.RunWithInputAsync("""
            I (8123) esp_https_ota: Writing to <ota_1> partition at offset 0x210000
            E (98231) BOD: Brownout detector was triggered
            E (98240) advanced_https_ota_example: ESP_HTTPS_OTA upgrade failed
            """, "diagnose");
        var empty = await cli.RunWithInputAsync("", "diagnose", "-");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("power-loss", result.Output, StringComparison.Ordinal);
        Assert.Equal(2, empty.ExitCode);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
