using Microsoft.EntityFrameworkCore;
using Nova.Firmware.Domain.Devices;
using Nova.Firmware.Domain.Diagnosis;
using Nova.Firmware.Domain.Jobs;
using Nova.Firmware.Domain.Preflight;
using Nova.Firmware.Domain.Rollouts;
using Nova.Firmware.Engine.Rollouts;
using Nova.Firmware.Engine.Tests.Infrastructure;
using Nova.Firmware.Persistence;
using Nova.Firmware.Server.Tests.Infrastructure;

namespace Nova.Firmware.Engine.Tests.Rollouts;

/// <summary>
/// The rollout loop against a real database and a fake clock: waves and gates, the error
/// threshold, the per-switch power budget, maintenance windows, retries, cancel and late joiners.
/// </summary>
public sealed class RolloutStepperTests
{
    public static TheoryData<DatabaseProvider> Databases => TestDatabases.All;

    private static RolloutStrategy Strategy(Action<RolloutStrategy>? change = null)
    {
        var s = new RolloutStrategy { PowerAware = false, ErrorThresholdPercent = null, SuccessGatePercent = 100 };
        change?.Invoke(s);
        return s;
    }

    private static async Task<List<Device>> SeedAsync(EngineHarness engine, int count, Func<int, DeviceBuilder, DeviceBuilder>? shape = null)
    {
        var devices = new List<Device>();
        for (var i = 0; i < count; i++)
        {
            var n = i;
            devices.Add(await engine.SeedDeviceAsync(b => (shape ?? ((_, x) => x))(n, b.With(d => d.ControllerId = $"dev-{n:D3}"))));
        }
        return devices;
    }

    [Fact]
    public async Task Create_CanariesSpanModelsThenWavesBySize()
    {
        await using var engine = await EngineHarness.StartAsync();
        await SeedAsync(engine, 10, (i, b) => b.Model(i < 5 ? "C200" : "GW-200"));
        var package = await engine.SeedPackageAsync();

        var rollout = await engine.CreateRolloutAsync(package.Id, Strategy(s => { s.CanaryCount = 2; s.WaveSize = 4; }), start: false);

        var members = await engine.MembersAsync(rollout.Id);
        Assert.Equal(3, rollout.WaveCount);
        Assert.Equal(RolloutStatus.Ready, (await engine.RolloutAsync(rollout.Id)).Status);
        var canaries = members.Where(m => m.Wave == 0).ToList();
        Assert.Equal(2, canaries.Count);
        var models = await engine.WithDbAsync(db => db.Set<Device>().Where(d => canaries.Select(c => c.DeviceId).Contains(d.Id)).Select(d => d.Model).ToListAsync());
        Assert.Equal(["C200", "GW-200"], models.Order());
        Assert.Equal(4, members.Count(m => m.Wave == 1));
        Assert.Equal(4, members.Count(m => m.Wave == 2));
        Assert.All(members, m => Assert.Equal(RolloutDeviceState.Pending, m.State));
        Assert.Equal(0, await engine.PassRolloutsAsync());
    }

    [Fact]
    public async Task Create_DeviceNoPackageFits_KeptBlockedOutsideTheWaves()
    {
        await using var engine = await EngineHarness.StartAsync();
        await SeedAsync(engine, 3, (i, b) => i == 0 ? b.With(d => d.HardwareRevision = "2.0") : b);
        var package = await engine.SeedPackageAsync();

        var rollout = await engine.CreateRolloutAsync(package.Id, Strategy());

        var members = await engine.MembersAsync(rollout.Id);
        var unplanned = Assert.Single(members, m => m.Wave == RolloutDevice.Unplanned);
        Assert.Equal(RolloutDeviceState.Blocked, unplanned.State);
        Assert.Equal(PreflightCheck.Compatibility, unplanned.BlockingCheck);
        Assert.Contains("rev 2.0", unplanned.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Step_StartsOnlyTheOpenedWave_NextOpensWhenItSucceeded_ThenCompletes()
    {
        await using var engine = await EngineHarness.StartAsync();
        await SeedAsync(engine, 5);
        var package = await engine.SeedPackageAsync();
        var rollout = await engine.CreateRolloutAsync(package.Id, Strategy(s => { s.CanaryCount = 1; s.WaveSize = 2; }));

        await engine.PassRolloutsAsync();
        var canary = Assert.Single(await engine.ActiveJobsAsync(rollout.Id));
        Assert.Equal(package.Id, canary.PackageId);
        Assert.Equal(DeviceJobStatus.Queued, canary.Status);

        await engine.EndAllAsync(rollout.Id, DeviceJobStatus.Succeeded);
        await engine.PassRolloutsAsync();
        Assert.Equal(1, (await engine.RolloutAsync(rollout.Id)).OpenedWave);
        Assert.Equal(2, (await engine.ActiveJobsAsync(rollout.Id)).Count);

        await engine.EndAllAsync(rollout.Id, DeviceJobStatus.Succeeded);
        await engine.PassRolloutsAsync();
        await engine.EndAllAsync(rollout.Id, DeviceJobStatus.Succeeded);
        await engine.PassRolloutsAsync();

        var done = await engine.RolloutAsync(rollout.Id);
        Assert.Equal(RolloutStatus.Completed, done.Status);
        Assert.Contains("5 succeeded", done.StatusReason, StringComparison.Ordinal);
        Assert.All(await engine.MembersAsync(rollout.Id), m => Assert.Equal((RolloutDeviceState.Succeeded, 1), (m.State, m.Attempts)));
    }

    [Fact]
    public async Task Step_CanariesFail_ErrorThresholdPausesBeforeTheNextWave()
    {
        await using var engine = await EngineHarness.StartAsync();
        await SeedAsync(engine, 12);
        var package = await engine.SeedPackageAsync();
        var rollout = await engine.CreateRolloutAsync(package.Id, Strategy(s => { s.CanaryCount = 2; s.WaveSize = 5; s.ErrorThresholdCount = 2; }));
        await engine.PassRolloutsAsync();

        await engine.EndAllAsync(rollout.Id, DeviceJobStatus.Failed, FailureCause.BootFailure);
        engine.Advance(TimeSpan.FromSeconds(1));
        await engine.PassRolloutsAsync();

        var paused = await engine.RolloutAsync(rollout.Id);
        Assert.Equal(RolloutStatus.Paused, paused.Status);
        Assert.Contains("Error threshold reached: 2 devices failed", paused.StatusReason, StringComparison.Ordinal);
        Assert.Equal(0, paused.OpenedWave);
        Assert.Empty(await engine.ActiveJobsAsync(rollout.Id));
        Assert.Equal(2, await engine.WithDbAsync(db => db.Set<DeviceJob>().CountAsync(j => j.RolloutId == rollout.Id)));
        Assert.All((await engine.MembersAsync(rollout.Id)).Where(m => m.Wave == 0), m => Assert.Equal(FailureCause.BootFailure, m.Cause));
    }

    [Fact]
    public async Task Step_WaveBelowSuccessGate_Pauses_ResumeOpensTheNextWave()
    {
        await using var engine = await EngineHarness.StartAsync();
        await SeedAsync(engine, 4);
        var package = await engine.SeedPackageAsync();
        var rollout = await engine.CreateRolloutAsync(package.Id, Strategy(s => { s.WaveSize = 2; s.SuccessGatePercent = 100; s.Retry.MaxAttempts = 1; }));
        await engine.PassRolloutsAsync();
        var jobs = await engine.ActiveJobsAsync(rollout.Id);
        await engine.EndJobAsync(jobs[0].Id, DeviceJobStatus.Succeeded);
        await engine.EndJobAsync(jobs[1].Id, DeviceJobStatus.Blocked, check: PreflightCheck.Space);
        await engine.PassRolloutsAsync();

        var paused = await engine.RolloutAsync(rollout.Id);
        Assert.Equal(RolloutStatus.Paused, paused.Status);
        Assert.Contains("50% succeeded, below the 100% success gate", paused.StatusReason, StringComparison.Ordinal);

        var resumed = await engine.WithAsync<RolloutService, RolloutActionResult>(s => s.ResumeAsync(rollout.Id, "operator", CancellationToken.None));
        Assert.Null(resumed.Error);
        await engine.PassRolloutsAsync();
        Assert.Equal(1, (await engine.RolloutAsync(rollout.Id)).OpenedWave);
        Assert.Equal(2, (await engine.ActiveJobsAsync(rollout.Id)).Count);
    }

    [Fact]
    public async Task Step_ApprovalBetweenWaves_WaitsForTheOperator()
    {
        await using var engine = await EngineHarness.StartAsync();
        await SeedAsync(engine, 2);
        var package = await engine.SeedPackageAsync();
        var rollout = await engine.CreateRolloutAsync(package.Id, Strategy(s => { s.WaveSize = 1; s.ApproveEachWave = true; }));
        await engine.PassRolloutsAsync();
        await engine.EndAllAsync(rollout.Id, DeviceJobStatus.Succeeded);
        await engine.PassRolloutsAsync();
        Assert.Equal(RolloutStatus.AwaitingApproval, (await engine.RolloutAsync(rollout.Id)).Status);
        engine.Advance(TimeSpan.FromHours(1));
        await engine.PassRolloutsAsync();
        Assert.Empty(await engine.ActiveJobsAsync(rollout.Id));

        await engine.WithAsync<RolloutService, RolloutActionResult>(s => s.ApproveAsync(rollout.Id, "operator", CancellationToken.None));
        await engine.PassRolloutsAsync();

        Assert.Single(await engine.ActiveJobsAsync(rollout.Id));
        Assert.Equal(1, (await engine.RolloutAsync(rollout.Id)).OpenedWave);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Step_PowerBudget_NeverStartsMoreThanTheSwitchCarries_CountingOtherJobsOnIt(DatabaseProvider database)
    {
        // Six gateways on one 40 W switch: 6 × 4 W idle = 24 W, each flash adds 5 W: three fit.
        await using var engine = await EngineHarness.StartAsync(database: database, power: p =>
        {
            p.Switches["sw-1"] = new PowerFeedBudget { BudgetWatts = 40 };
            p.Models["C200"] = new ModelDraw { IdleWatts = 4, FlashWatts = 9 };
        });
        var devices = await SeedAsync(engine, 6, (_, b) => b.With(d => d.PowerFeed = new PowerFeed { SwitchId = "sw-1", Port = 1 }));
        var other = await engine.SeedPackageAsync("1.5.0");
        Assert.Null((await engine.CreateJobAsync(devices[5].Id, other.Id)).Error); // an operator's job on the same switch
        var package = await engine.SeedPackageAsync();
        var rollout = await engine.CreateRolloutAsync(package.Id, Strategy(s => s.PowerAware = true), new RolloutTarget { DeviceIds = [.. devices.Take(5).Select(d => d.Id)] });

        await engine.PassRolloutsAsync();

        Assert.Equal(2, (await engine.ActiveJobsAsync(rollout.Id)).Count);
        var reason = (await engine.RolloutAsync(rollout.Id)).StatusReason;
        Assert.Contains("PoE switch sw-1 draws 39 W of its 40 W budget with 3 flashing", reason, StringComparison.Ordinal);

        await engine.EndJobAsync((await engine.ActiveJobsAsync(rollout.Id))[0].Id, DeviceJobStatus.Succeeded);
        await engine.PassRolloutsAsync();
        Assert.Equal(2, (await engine.ActiveJobsAsync(rollout.Id)).Count);
    }

    [Fact]
    public async Task Step_PowerAwareOff_StartsUpToTheOverallLimit()
    {
        await using var engine = await EngineHarness.StartAsync(power: p => p.Switches["sw-1"] = new PowerFeedBudget { BudgetWatts = 10 });
        await SeedAsync(engine, 6, (_, b) => b.With(d => d.PowerFeed = new PowerFeed { SwitchId = "sw-1", Port = 1 }));
        var package = await engine.SeedPackageAsync();
        var rollout = await engine.CreateRolloutAsync(package.Id, Strategy(s => { s.PowerAware = false; s.MaxConcurrent = 4; }));

        await engine.PassRolloutsAsync();

        Assert.Equal(4, (await engine.ActiveJobsAsync(rollout.Id)).Count);
    }

    [Fact]
    public async Task Step_UnknownSwitchBudget_FallsBackToTheCountPerFeed()
    {
        await using var engine = await EngineHarness.StartAsync();
        await SeedAsync(engine, 5, (i, b) => b.With(d => d.PowerFeed = new PowerFeed { SwitchId = i < 3 ? "sw-a" : "sw-b", Port = i }));
        var package = await engine.SeedPackageAsync();
        var rollout = await engine.CreateRolloutAsync(package.Id, Strategy(s => { s.PowerAware = true; s.MaxConcurrentPerPowerFeed = 1; }));

        await engine.PassRolloutsAsync();

        Assert.Equal(2, (await engine.ActiveJobsAsync(rollout.Id)).Count);
    }

    [Fact]
    public async Task Step_PerSiteLimit_HoldsTheRestOfTheSite()
    {
        await using var engine = await EngineHarness.StartAsync();
        await SeedAsync(engine, 6, (i, b) => b.With(d => d.Site = i < 4 ? "north" : "south"));
        var package = await engine.SeedPackageAsync();
        var rollout = await engine.CreateRolloutAsync(package.Id, Strategy(s => s.MaxConcurrentPerSite = 1));

        await engine.PassRolloutsAsync();

        Assert.Equal(2, (await engine.ActiveJobsAsync(rollout.Id)).Count);
        Assert.Contains("site north has 1 flashing, its limit", (await engine.RolloutAsync(rollout.Id)).StatusReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Step_ClosedWindow_StartsNothingUntilItOpens_ThenFlashes()
    {
        await using var engine = await EngineHarness.StartAsync(); // the clock reads 12:00 UTC
        await SeedAsync(engine, 2);
        var package = await engine.SeedPackageAsync();
        var rollout = await engine.CreateRolloutAsync(package.Id, Strategy(s => s.Window = new MaintenanceWindow { Schedule = "0 2 * * *", Duration = TimeSpan.FromHours(2), TimeZone = "UTC" }));

        await engine.PassRolloutsAsync();

        var waiting = await engine.RolloutAsync(rollout.Id);
        Assert.Empty(await engine.ActiveJobsAsync(rollout.Id));
        var opens = engine.Now.Date.AddDays(1).AddHours(2);
        Assert.Equal(new DateTimeOffset(opens, TimeSpan.Zero), waiting.NextActionAt);
        Assert.Contains("Outside the maintenance window", waiting.StatusReason, StringComparison.Ordinal);

        engine.AdvanceTo(waiting.NextActionAt - TimeSpan.FromMinutes(1));
        Assert.Equal(0, await engine.PassRolloutsAsync());
        engine.AdvanceTo(waiting.NextActionAt);
        await engine.PassRolloutsAsync();
        Assert.Equal(2, (await engine.ActiveJobsAsync(rollout.Id)).Count);
    }

    [Fact]
    public async Task Retry_BlockedByAPowerEvent_TriedAgainAfterBackoff_CompatibilityNever()
    {
        await using var engine = await EngineHarness.StartAsync();
        await SeedAsync(engine, 2);
        var package = await engine.SeedPackageAsync();
        var rollout = await engine.CreateRolloutAsync(package.Id, Strategy(s => { s.SuccessGatePercent = 0; s.Retry = new RetryPolicy { MaxAttempts = 3, Backoff = TimeSpan.FromMinutes(5) }; }));
        await engine.PassRolloutsAsync();
        var jobs = await engine.ActiveJobsAsync(rollout.Id);
        await engine.EndJobAsync(jobs[0].Id, DeviceJobStatus.Blocked, check: PreflightCheck.Power);
        await engine.EndJobAsync(jobs[1].Id, DeviceJobStatus.Blocked, check: PreflightCheck.Compatibility);

        var members = await engine.MembersAsync(rollout.Id);
        var power = members.Single(m => m.JobId == jobs[0].Id);
        Assert.Equal((RolloutDeviceState.Blocked, engine.Now + TimeSpan.FromMinutes(5)), (power.State, power.RetryAt));
        Assert.Null(members.Single(m => m.JobId == jobs[1].Id).RetryAt);

        engine.Advance(TimeSpan.FromMinutes(4));
        await engine.PassRolloutsAsync();
        Assert.Empty(await engine.ActiveJobsAsync(rollout.Id));
        engine.Advance(TimeSpan.FromMinutes(1));
        await engine.PassRolloutsAsync();
        var retry = Assert.Single(await engine.ActiveJobsAsync(rollout.Id));
        Assert.Equal(jobs[0].DeviceId, retry.DeviceId);
        Assert.Equal(2, (await engine.MembersAsync(rollout.Id)).Single(m => m.DeviceId == retry.DeviceId).Attempts);

        // The second block doubles the wait.
        await engine.EndJobAsync(retry.Id, DeviceJobStatus.Blocked, check: PreflightCheck.Power);
        Assert.Equal(engine.Now + TimeSpan.FromMinutes(10), (await engine.MembersAsync(rollout.Id)).Single(m => m.DeviceId == retry.DeviceId).RetryAt);
    }

    [Fact]
    public async Task Cancel_PendingDevicesCancelled_QueuedJobsAskedToCancel()
    {
        await using var engine = await EngineHarness.StartAsync();
        await SeedAsync(engine, 4);
        var package = await engine.SeedPackageAsync();
        var rollout = await engine.CreateRolloutAsync(package.Id, Strategy(s => s.MaxConcurrent = 2));
        await engine.PassRolloutsAsync();

        var result = await engine.WithAsync<RolloutService, RolloutActionResult>(s => s.CancelAsync(rollout.Id, "operator", CancellationToken.None));

        Assert.Null(result.Error);
        Assert.Equal(RolloutStatus.Cancelled, (await engine.RolloutAsync(rollout.Id)).Status);
        var members = await engine.MembersAsync(rollout.Id);
        Assert.Equal(2, members.Count(m => m.State == RolloutDeviceState.Cancelled));
        Assert.All(await engine.ActiveJobsAsync(rollout.Id), j => Assert.True(j.CancelRequested));
        Assert.Equal(0, await engine.PassRolloutsAsync());
    }

    [Fact]
    public async Task JoinLate_ADeviceThatStartsMatching_JoinsAndFlashes()
    {
        await using var engine = await EngineHarness.StartAsync();
        await SeedAsync(engine, 1, (_, b) => b.With(d => d.Site = "north"));
        var package = await engine.SeedPackageAsync();
        var rollout = await engine.CreateRolloutAsync(package.Id, Strategy(s => s.JoinLateDevices = true), new RolloutTarget { Site = "north" });
        await engine.PassRolloutsAsync();
        await engine.EndAllAsync(rollout.Id, DeviceJobStatus.Succeeded);

        var late = await engine.SeedDeviceAsync(b => b.With(d => d.Site = "north"));
        engine.Advance(TimeSpan.FromMinutes(1));
        await engine.PassRolloutsAsync();

        var job = Assert.Single(await engine.ActiveJobsAsync(rollout.Id));
        Assert.Equal(late.Id, job.DeviceId);
        Assert.Equal(RolloutStatus.Running, (await engine.RolloutAsync(rollout.Id)).Status);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task TwoReplicas_AStepThatLostItsLease_StartsNothing(DatabaseProvider database)
    {
        await using var engine = await EngineHarness.StartAsync(database: database);
        await SeedAsync(engine, 3);
        var package = await engine.SeedPackageAsync();
        var rollout = await engine.CreateRolloutAsync(package.Id, Strategy());
        Assert.Equal([rollout.Id], await engine.WithAsync<RolloutStore, IReadOnlyList<long>>(s => s.ClaimDueAsync(EngineHarness.ReplicaA, TimeSpan.FromSeconds(30), 8, CancellationToken.None)));
        Assert.Empty(await engine.WithAsync<RolloutStore, IReadOnlyList<long>>(s => s.ClaimDueAsync(EngineHarness.ReplicaB, TimeSpan.FromSeconds(30), 8, CancellationToken.None)));

        // A's lease runs out mid-step (a stalled replica); B takes the rollout over.
        engine.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal([rollout.Id], await engine.WithAsync<RolloutStore, IReadOnlyList<long>>(s => s.ClaimDueAsync(EngineHarness.ReplicaB, TimeSpan.FromSeconds(30), 8, CancellationToken.None)));
        await engine.WithAsync<RolloutStepper>(s => s.StepAsync(rollout.Id, EngineHarness.ReplicaA, CancellationToken.None));
        Assert.Empty(await engine.ActiveJobsAsync(rollout.Id));

        await engine.WithAsync<RolloutStepper>(s => s.StepAsync(rollout.Id, EngineHarness.ReplicaB, CancellationToken.None));
        Assert.Equal(3, (await engine.ActiveJobsAsync(rollout.Id)).Count);
        Assert.All(await engine.MembersAsync(rollout.Id), m => Assert.Equal(1, m.Attempts));
    }
}
