using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Npgsql;
using Nova.Firmware.Server.Tests.Infrastructure;
using Nova.Firmware.Simulator;
using Nova.Firmware.Simulator.Fleet;
using Xunit.Abstractions;

namespace Nova.Firmware.EndToEnd.Tests.Nova;

/// <summary>
/// Two server processes on one PostgreSQL database run one 1,000-device rollout. Replica B is
/// killed with SIGKILL three times in the middle and restarted each time; the rollout completes,
/// every device has exactly one job, and the simulator's own count says each device was flashed
/// exactly once.
/// </summary>
public sealed partial class RolloutReplicaTests(ITestOutputHelper output)
{
    private const int Devices = 1000;
    private const int Kills = 3;

    [Fact(Timeout = 600_000)]
    public async Task TwoReplicas_OneKilledThreeTimes_RolloutCompletesEachDeviceFlashedOnce()
    {
        var database = await TestDatabases.CreatePostgresDatabaseAsync();
        try
        {
            await RunAsync(new NpgsqlConnectionStringBuilder(database) { Pooling = true, MaxPoolSize = 40 }.ConnectionString);
        }
        finally
        {
            await TestDatabases.DropPostgresDatabaseAsync(database);
        }
    }

    private async Task RunAsync(string connectionString)
    {
        var data = Path.Combine(Path.GetTempPath(), "nova-rollout-replicas-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(data);
        await using var a = new ServerProcess(data, Settings(connectionString, "replica-a"), "replica-a");
        await using var b = new ServerProcess(data, Settings(connectionString, "replica-b"), "replica-b");
        await Task.WhenAll(a.StartAsync(), b.StartAsync());
        using var admin = NovaApi.Admin(a.BaseAddress);

        // The devices poll replica A (think of it as the one behind their DNS name); B advances the
        // rollout and its jobs through the database alone, and is the one that keeps dying.
        var template = SimulatedFleetScenario.Gateway("tpl");
        template.PollJitterSeconds = 10;
        var fleet = new FleetDefinition
        {
            TimeScale = SimulatedFleetScenario.TimeScale,
            Groups = [new DeviceGroup { Count = Devices, IdPrefix = "gw-", Template = template }],
        };
        fleet.Ddi.ServerUrl = a.BaseAddress;
        fleet.Ddi.RetryWaitSeconds = 2;
        var specs = fleet.ExpandDevices().ToList();
        var clock = Stopwatch.StartNew();
        foreach (var chunk in specs.Chunk(20))
        {
            await Task.WhenAll(chunk.Select(spec =>
            {
                spec.DdiToken = $"token-{spec.Id}-0123456789";
                return FleetSteps.EnrolAsync(admin, spec);
            }));
        }
        output.WriteLine($"Enrolled {Devices} devices in {clock.Elapsed.TotalSeconds:0.0} s.");
        await using var simulation = new Simulation(new FleetDefinition { TimeScale = fleet.TimeScale, Ddi = fleet.Ddi, Devices = specs });
        simulation.Start();
        var package = await FleetSteps.ImportAsync(admin);

        var created = await admin.PostAsJsonAsync("/api/v1/rollouts", new
        {
            name = "1,000 gateways",
            packageId = package,
            target = new { model = "GW-100" },
            strategy = new { canaryCount = 10, waveSize = 330, successGatePercent = 95, maxConcurrent = 150, retry = new { maxAttempts = 1 } },
            start = true,
        });
        Assert.Equal(System.Net.HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        clock.Restart();

        for (var kill = 1; kill <= Kills; kill++)
        {
            var target = kill * Devices / (Kills + 1);
            await FleetSteps.WaitAsync(async () => Decided(await ProgressAsync(admin, id)) >= target, TimeSpan.FromSeconds(240), $"{target} devices decided");
            await b.KillAsync();
            output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: killed replica B at {target} devices decided; it had made {ReplicaTests.Transitions(b)} job transitions, {b.CountInLog(StartLine())} rollout starts.");
            await Task.Delay(TimeSpan.FromSeconds(2));
            await b.StartAsync();
        }

        var done = await Eventually.GetAsync(() => admin.GetFromJsonAsync<JsonElement>($"/api/v1/rollouts/{id}"),
            r => r.GetProperty("status").GetString() is "completed" or "paused", TimeSpan.FromSeconds(300), "the rollout to complete");
        output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: {done.GetProperty("status").GetString()}: {done.GetProperty("statusReason").GetString()}");
        output.WriteLine($"Replica A: {ReplicaTests.Transitions(a)} job transitions, {a.CountInLog(StartLine())} rollout starts; replica B (all lives): {ReplicaTests.Transitions(b)}, {b.CountInLog(StartLine())}.");

        Assert.Equal("completed", done.GetProperty("status").GetString());
        Assert.Equal(Devices, done.GetProperty("progress").GetProperty("byState").GetProperty("succeeded").GetInt32());
        var jobs = await FleetSteps.JobsAsync(admin);
        Assert.Equal(Devices, jobs.Count);
        Assert.Equal(Devices, jobs.Select(j => j.DeviceId).Distinct().Count());
        Assert.All(jobs, j => Assert.Equal("succeeded", j.Status));
        Assert.True(ReplicaTests.Transitions(b) > 0, "replica B never stepped a job");
        foreach (var spec in specs)
        {
            var truth = simulation.Truth(spec.Id);
            Assert.True(truth.FlashCount == 1, $"{spec.Id} was flashed {truth.FlashCount} times");
            Assert.Equal("2.0.0", truth.RunningVersion);
        }
    }

    private static async Task<JsonElement> ProgressAsync(HttpClient admin, long id) =>
        (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/rollouts/{id}")).GetProperty("progress");

    private static int Decided(JsonElement progress)
    {
        var s = progress.GetProperty("byState");
        return s.GetProperty("succeeded").GetInt32() + s.GetProperty("failed").GetInt32() + s.GetProperty("blocked").GetInt32() + s.GetProperty("skipped").GetInt32();
    }

    private static Dictionary<string, string> Settings(string connectionString, string replica) => new()
    {
        ["Nova:Database:Provider"] = "Postgres",
        ["Nova:Database:ConnectionString"] = connectionString,
        ["Nova:Engine:ReplicaId"] = replica,
        ["Nova:Engine:TickInterval"] = "00:00:00.100",
        ["Nova:Engine:RecheckInterval"] = "00:00:00.500",
        ["Nova:Engine:LeaseDuration"] = "00:00:05",
        ["Nova:Engine:Deadlines:Transfer"] = "00:02:00",
        ["Nova:Engine:Deadlines:Flash"] = "00:02:00",
        ["Nova:Engine:Deadlines:Reboot"] = "00:02:00",
        ["Nova:Engine:Deadlines:Health"] = "00:02:00",
        ["Nova:Rollouts:TickInterval"] = "00:00:00.200",
        ["Nova:Rollouts:RecheckInterval"] = "00:00:00.500",
        ["Nova:Rollouts:LeaseDuration"] = "00:00:05",
        // 30 simulated seconds between polls: 3 s of real time, about 330 polls a second for the fleet.
        ["Nova:Ddi:PollSleep"] = "00:00:30",
        ["Nova:Ddi:ActivePollSleep"] = "00:00:10",
        ["Nova:Ddi:LastSeenFlushInterval"] = "00:00:01",
        ["Nova:Ddi:ActionCacheTime"] = "00:00:00.500",
        ["Logging:LogLevel:Nova.Firmware.Engine.Rollouts.RolloutStepper"] = "Information",
    };

    [GeneratedRegex(@"Rollout \d+ started \d+ device jobs")]
    private static partial Regex StartLine();
}
