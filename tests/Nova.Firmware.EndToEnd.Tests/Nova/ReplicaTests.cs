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
/// Two server processes on one PostgreSQL database and one shared data directory, started at the
/// same moment (both migrate), as a rolling deployment would. Both step the same 40 device jobs
/// through leases; one is killed with SIGKILL mid-way and the other finishes its jobs. Every
/// device ends on the new version, flashed exactly once by the simulator's own count.
/// </summary>
public sealed partial class ReplicaTests(ITestOutputHelper output)
{
    private const int Devices = 40;
    private static readonly string[] Final = ["succeeded", "failed", "blocked", "cancelled"];

    [Fact(Timeout = 300_000)]
    public async Task TwoReplicasOnPostgres_OneKilledMidway_EveryDeviceFlashedOnceAndUpdated()
    {
        var database = await TestDatabases.CreatePostgresDatabaseAsync();
        try
        {
            await RunAsync(new NpgsqlConnectionStringBuilder(database) { Pooling = true }.ConnectionString);
        }
        finally
        {
            await TestDatabases.DropPostgresDatabaseAsync(database);
        }
    }

    private async Task RunAsync(string connectionString)
    {
        var data = Path.Combine(Path.GetTempPath(), "nova-replicas-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(data);
        await using var a = new ServerProcess(data, Settings(connectionString, "replica-a"), "replica-a");
        await using var b = new ServerProcess(data, Settings(connectionString, "replica-b"), "replica-b");
        await Task.WhenAll(a.StartAsync(), b.StartAsync());
        using var admin = NovaApi.Admin(a.BaseAddress);

        // The devices talk to replica A only (think of A as the one behind the devices' DNS name);
        // B works on their jobs through the database alone.
        var template = SimulatedFleetScenario.Gateway("tpl");
        template.FlashWriteSeconds = 30; // 3 s at scale 10: long enough for B to be killed mid-step
        template.BootSeconds = 20;
        var fleet = new FleetDefinition
        {
            TimeScale = SimulatedFleetScenario.TimeScale,
            Groups = [new DeviceGroup { Count = Devices, IdPrefix = "gw-", Template = template }],
        };
        fleet.Ddi.ServerUrl = a.BaseAddress;
        fleet.Ddi.RetryWaitSeconds = 1;
        var specs = fleet.ExpandDevices().ToList();
        var ids = new Dictionary<string, Guid>();
        foreach (var spec in specs)
        {
            spec.DdiToken = $"token-{spec.Id}-0123456789";
            ids[spec.Id] = await FleetSteps.EnrolAsync(admin, spec);
        }
        await using var simulation = new Simulation(new FleetDefinition { TimeScale = fleet.TimeScale, Ddi = fleet.Ddi, Devices = specs });
        simulation.Start();
        var package = await FleetSteps.ImportAsync(admin);
        await FleetSteps.WaitAsync(() => FleetSteps.AllReportedAsync(admin, ids.Values), TimeSpan.FromSeconds(60), "every device's first report");

        foreach (var id in ids.Values)
        {
            var created = await admin.PostAsJsonAsync($"/api/v1/devices/{id}/jobs", new { packageId = package });
            Assert.Equal(System.Net.HttpStatusCode.Created, created.StatusCode);
        }
        // B is killed once it has done some of the work. Its share is small: the devices poll A, and
        // A's stepper is woken by their news in-process while B finds the jobs on its ticks. In one
        // passing run B made 22 of 200 transitions, so waiting for 20 sometimes waited for ever
        // (CI, once: all jobs ended with B short of 20).
        await FleetSteps.WaitAsync(() => Task.FromResult(Transitions(b) >= 5), TimeSpan.FromSeconds(90), "replica B to step 5 times");
        await b.KillAsync();
        var byB = Transitions(b);
        output.WriteLine($"Replica B made {byB} transitions before it was killed.");

        await FleetSteps.WaitAsync(async () => (await FleetSteps.JobsAsync(admin)).All(j => Final.Contains(j.Status)), TimeSpan.FromSeconds(150), "every job to end");
        var jobs = await FleetSteps.JobsAsync(admin);
        output.WriteLine($"Replica A made {Transitions(a)} transitions; jobs: " + string.Join(", ", jobs.GroupBy(j => j.Status).Select(g => $"{g.Key} {g.Count()}")));

        Assert.Equal(Devices, jobs.Count);
        Assert.All(jobs, j => Assert.Equal("succeeded", j.Status));
        Assert.True(Transitions(a) > 0, "replica A never stepped a job");
        foreach (var spec in specs)
        {
            var truth = simulation.Truth(spec.Id);
            Assert.Equal(1, truth.FlashCount);
            Assert.Equal("2.0.0", truth.RunningVersion);
        }
    }

    private static Dictionary<string, string> Settings(string connectionString, string replica) => new()
    {
        ["Nova:Database:Provider"] = "Postgres",
        ["Nova:Database:ConnectionString"] = connectionString,
        ["Nova:Engine:ReplicaId"] = replica,
        ["Nova:Engine:TickInterval"] = "00:00:00.100",
        ["Nova:Engine:RecheckInterval"] = "00:00:00.200",
        // Small batches so that neither replica takes every due job in one pass.
        ["Nova:Engine:BatchSize"] = "4",
        ["Nova:Engine:LeaseDuration"] = "00:00:05",
        ["Nova:Engine:Deadlines:Transfer"] = "00:00:45",
        ["Nova:Engine:Deadlines:Flash"] = "00:00:30",
        ["Nova:Engine:Deadlines:Reboot"] = "00:00:30",
        ["Nova:Engine:Deadlines:Health"] = "00:00:30",
        ["Nova:Ddi:PollSleep"] = "00:00:02",
        ["Nova:Ddi:ActivePollSleep"] = "00:00:02",
        ["Nova:Ddi:LastSeenFlushInterval"] = "00:00:00.500",
        ["Nova:Ddi:ActionCacheTime"] = "00:00:00.500",
    };

    /// <summary>How many job transitions a replica has logged (the stepper logs each one it wrote).</summary>
    internal static int Transitions(ServerProcess replica) => replica.CountInLog(TransitionLine());

    [GeneratedRegex(@"Device job \d+ on device [0-9a-f-]+: \w+ -> \w+")]
    private static partial Regex TransitionLine();
}
