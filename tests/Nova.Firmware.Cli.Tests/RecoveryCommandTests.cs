using System.Security.Cryptography;
using System.Text.Json;
using Nova.Firmware.Cli.Tests.Infrastructure;

namespace Nova.Firmware.Cli.Tests;

/// <summary>
/// <c>novafw recoveries</c> against the server in process: the filters reach the server, its refusals
/// come back as exit codes; and a rollout's retry back-off option reaches the stored strategy.
/// (A run that repairs a device is followed end to end by the demo test.)
/// </summary>
public sealed class RecoveryCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("novafw-recoveries-").FullName;

    [Fact]
    public async Task List_UnknownRung_ExitsTwo_WithTheServersListOfRungs_AndUnknownRunIsNotFound()
    {
        var (server, cli) = await CliServer.StartAsync(role: "viewer");
        await using var _ = server;
        using var __ = cli;

        var empty = await cli.RunAsync("recoveries", "list", "--active", "--json");
        var badRung = await cli.RunAsync("recoveries", "list", "--rung", "fixed");
        var missing = await cli.RunAsync("recoveries", "show", "4242");

        Assert.True(empty.ExitCode == 0, empty.ToString());
        Assert.Equal(0, JsonDocument.Parse(empty.Output).RootElement.GetProperty("total").GetInt32());
        Assert.Equal(2, badRung.ExitCode);
        Assert.Contains("awaiting-technician", badRung.Error, StringComparison.Ordinal);
        Assert.Equal(5, missing.ExitCode);
        Assert.Contains("4242", missing.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RolloutCreate_RetryBackoff_IsStoredWithTheStrategy()
    {
        var (server, cli) = await CliServer.StartAsync(role: "operator");
        await using var _ = server;
        using var __ = cli;
        await cli.RunWithInputAsync("controllerId,vendor,model,hardwareRevision,soc,serial,kind,protocol,activeVersion\ngw-a,Acme,GW-100,1.0,aarch64,SN-A,gateway,ddi,1.0.0\n", "devices", "import", "-");
        var image = Path.Combine(_directory, "gw.img");
        await File.WriteAllBytesAsync(image, RandomNumberGenerator.GetBytes(4096));
        var package = JsonDocument.Parse((await cli.RunAsync("packages", "import", image, "--vendor", "Acme", "--model", "GW-100", "--soc", "aarch64",
            "--version", "2.0.0", "--revision", "1.0", "--json")).Output).RootElement.GetProperty("id").GetString()!;

        var created = await cli.RunAsync("rollouts", "create", "--package", package, "--model", "GW-100", "--name", "backoff", "--max-attempts", "2", "--retry-backoff", "00:00:15", "--json");
        var badBackoff = await cli.RunAsync("rollouts", "create", "--package", package, "--model", "GW-100", "--name", "bad", "--retry-backoff", "soon");

        Assert.True(created.ExitCode == 0, created.ToString());
        var retry = JsonDocument.Parse(created.Output).RootElement.GetProperty("strategy").GetProperty("retry");
        Assert.Equal(2, retry.GetProperty("maxAttempts").GetInt32());
        Assert.Equal("00:00:15", retry.GetProperty("backoff").GetString());
        Assert.Equal(2, badBackoff.ExitCode);
        Assert.Contains("--retry-backoff", badBackoff.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeviceTimeline_EveryEntryNamesItsJob_OldestFirstAcrossJobs()
    {
        var (server, cli) = await CliServer.StartAsync(role: "operator");
        await using var _ = server;
        using var __ = cli;
        await cli.RunWithInputAsync("controllerId,vendor,model,hardwareRevision,soc,serial,kind,protocol,activeVersion\ngw-a,Acme,GW-100,1.0,aarch64,SN-A,gateway,ddi,1.0.0\n", "devices", "import", "-");
        var image = Path.Combine(_directory, "gw.img");
        await File.WriteAllBytesAsync(image, RandomNumberGenerator.GetBytes(4096));
        var package = JsonDocument.Parse((await cli.RunAsync("packages", "import", image, "--vendor", "Acme", "--model", "GW-100", "--soc", "aarch64",
            "--version", "2.0.0", "--revision", "1.0", "--json")).Output).RootElement.GetProperty("id").GetString()!;
        // Two jobs in turn: the first is cancelled so the second may start.
        var created = await cli.RunAsync("jobs", "create", "--device", "gw-a", "--package", package, "--json");
        Assert.True(created.ExitCode == 0, created.ToString());
        var first = JsonDocument.Parse(created.Output).RootElement.GetProperty("id").GetInt64();
        using (var admin = server.CreateAdminClient())
        {
            (await admin.PostAsync($"/api/v1/jobs/{first}/cancel", null)).EnsureSuccessStatusCode();
        }
        var ended = await cli.RunAsync("jobs", "watch", first.ToString(System.Globalization.CultureInfo.InvariantCulture), "--interval", "0.2");
        Assert.Contains("cancelled", ended.Output, StringComparison.Ordinal);
        var again = await cli.RunAsync("jobs", "create", "--device", "gw-a", "--package", package, "--json");
        Assert.True(again.ExitCode == 0, again.ToString());
        var second = JsonDocument.Parse(again.Output).RootElement.GetProperty("id").GetInt64();

        var timeline = await cli.RunAsync("devices", "timeline", "gw-a", "--json");
        var table = await cli.RunAsync("devices", "timeline", "gw-a");

        Assert.True(timeline.ExitCode == 0, timeline.ToString());
        var entries = JsonDocument.Parse(timeline.Output).RootElement.EnumerateArray().ToList();
        Assert.Equal([first, second], entries.Select(e => e.GetProperty("jobId").GetInt64()).Distinct());
        var times = entries.Select(e => e.GetProperty("at").GetDateTimeOffset()).ToList();
        Assert.Equal(times.Order(), times);
        Assert.Contains($" {second} ", table.Output, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // a file still open on a slow machine; the temporary folder is cleaned by the OS
        }
    }
}
