using Microsoft.EntityFrameworkCore;
using Nova.Firmware.Domain.Drivers;
using Nova.Firmware.Domain.Recovery;
using Nova.Firmware.Engine.Recovery;
using Nova.Firmware.Engine.Tests.Infrastructure;
using Nova.Firmware.Persistence;
using Nova.Firmware.Server.Tests.Infrastructure;

namespace Nova.Firmware.Engine.Tests.Recovery;

/// <summary>
/// Several replicas and crashes on one ladder: leases keep replicas apart, a command to the device
/// is written before it is sent and never sent twice, and a run left by a dead replica is taken over.
/// </summary>
public sealed class CrashSafetyTests
{
    public static TheoryData<DatabaseProvider> Databases => TestDatabases.All;

    private const string A = EngineHarness.ReplicaA;
    private const string B = EngineHarness.ReplicaB;

    /// <summary>A push device that can be told to boot recovery, silent after a boot failure, with a stock image in the catalog: on booting-recovery.</summary>
    private static async Task<(EngineHarness Engine, RecoveryRun Run)> BootingRecoveryAsync(DatabaseProvider database = DatabaseProvider.Sqlite)
    {
        var engine = await EngineHarness.StartAsync(database: database);
        await LadderDeadlineTests.SeedStockImageAsync(engine);
        var (_, _, run) = await engine.FailPushJobAsync(d => d.RemoteRecoveryTrigger(), "ERROR : failed to boot the new image");
        engine.Push.Silence();
        engine.Push.TriggerRecovery = (_, _) => Task.FromResult(DriverResult.Pending("Rebooting into recovery."));
        await engine.StepRecoveryOnceAsync(run.Id);
        var booting = await engine.RunAsync(run.Id);
        Assert.Equal(RecoveryRung.BootingRecovery, booting.Rung);
        return (engine, booting);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task BootingRecovery_ReplicaDiesAfterSendingTheCommand_NextReplicaNeverSendsItAgain(DatabaseProvider database)
    {
        var (engine, run) = await BootingRecoveryAsync(database);
        await using var _ = engine;
        using var stopping = new CancellationTokenSource();
        engine.Push.TriggerRecovery = async (_, ct) =>
        {
            // The process is killed while the device is being told.
            await stopping.CancelAsync();
            ct.ThrowIfCancellationRequested();
            throw new InvalidOperationException("The recovery trigger was given a token that does not stop with the process.");
        };
        Assert.Equal([run.Id], await engine.ClaimRecoveryAsync(A));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => engine.StepRecoveryAsync(run.Id, A, stopping.Token));

        Assert.Equal(1, engine.Push.RecoveryTriggers);
        var command = Assert.Single(await engine.CommandsAsync(run.FailedJobId), c => c.Step == RecoveryStepper.RecoveryCommand);
        Assert.Equal(1, command.Attempt);
        Assert.Equal(A, command.IssuedBy);
        var left = await engine.RunAsync(run.Id);
        Assert.Equal(RecoveryRung.BootingRecovery, left.Rung);
        Assert.Equal(A, left.LeaseOwner);

        // B waits out A's lease, then finds the command written: it watches for the pull instead of telling the device again.
        Assert.Empty(await engine.ClaimRecoveryAsync(B));
        engine.Advance(engine.Recovery.LeaseDuration + TimeSpan.FromSeconds(1));
        await engine.StepRecoveryUntilIdleAsync(B);

        Assert.Equal(1, engine.Push.RecoveryTriggers);
        Assert.Single(await engine.CommandsAsync(run.FailedJobId), c => c.Step == RecoveryStepper.RecoveryCommand);
        var reflashing = await engine.RunAsync(run.Id);
        Assert.Equal(RecoveryRung.Reflashing, reflashing.Rung);
        Assert.Equal(1, reflashing.RecoveryBoots);
        Assert.Contains(await engine.RungChangesAsync(run), m => m.StartsWith("recovery booting-recovery → reflashing:", StringComparison.Ordinal) && m.Contains("not sent again", StringComparison.Ordinal));
    }

    [Fact]
    public async Task BootingRecovery_DeviceToldOnce_CommandRowWrittenBeforeTheDriverIsCalled()
    {
        var (engine, run) = await BootingRecoveryAsync();
        await using var _ = engine;
        var rowsWhenTold = -1;
        engine.Push.TriggerRecovery = async (_, _) =>
        {
            rowsWhenTold = (await engine.CommandsAsync(run.FailedJobId)).Count(c => c.Step == RecoveryStepper.RecoveryCommand);
            return DriverResult.Pending("Rebooting into recovery.");
        };

        await engine.StepRecoveryUntilIdleAsync();
        engine.Advance(engine.Recovery.RecheckInterval);
        await engine.StepRecoveryUntilIdleAsync();

        Assert.Equal(1, rowsWhenTold);
        Assert.Equal(1, engine.Push.RecoveryTriggers);
        var reflashing = await engine.RunAsync(run.Id);
        Assert.Equal(RecoveryRung.Reflashing, reflashing.Rung);
        Assert.Contains(await engine.RungChangesAsync(run), m => m.Contains("Rebooting into recovery.", StringComparison.Ordinal) && m.Contains(EngineHarness.TftpServer, StringComparison.Ordinal));
    }

    [Fact]
    public async Task BootingRecovery_DeviceCannotBeToldAndHasNoPartition_TechnicianTask()
    {
        var (engine, run) = await BootingRecoveryAsync();
        await using var _ = engine;
        engine.Push.TriggerRecovery = (_, _) => Task.FromResult(DriverResult.Unreachable("connection refused"));

        await engine.StepRecoveryUntilIdleAsync();

        var waiting = await engine.RunAsync(run.Id);
        Assert.Equal(RecoveryRung.AwaitingTechnician, waiting.Rung);
        Assert.Contains("connection refused", waiting.StatusReason);
        Assert.Equal(1, engine.Push.RecoveryTriggers);
        Assert.Single(await engine.TasksAsync(run.Id));
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Lease_ReplicaDiesHoldingARun_AnotherTakesItOverOnlyOnceTheLeaseExpired(DatabaseProvider database)
    {
        await using var engine = await EngineHarness.StartAsync(database: database);
        var (_, _, run) = await engine.FailJobAsync(null, "ERROR : HASH mismatch : 1f2e <--> 9a8b");

        var claims = await Task.WhenAll(engine.ClaimRecoveryAsync(A), engine.ClaimRecoveryAsync(B));
        Assert.Equal([run.Id], claims.SelectMany(c => c));
        var holder = claims[0].Count == 1 ? A : B;
        var other = holder == A ? B : A;
        var held = await engine.RunAsync(run.Id);
        Assert.Equal(holder, held.LeaseOwner);
        Assert.Equal(engine.Now + engine.Recovery.LeaseDuration, held.LeaseUntil);

        // The holder dies without stepping. Until its lease ends, nobody else touches the run.
        engine.Advance(engine.Recovery.LeaseDuration - TimeSpan.FromSeconds(1));
        Assert.Empty(await engine.ClaimRecoveryAsync(other));
        await engine.StepRecoveryAsync(run.Id, other);
        Assert.Equal(RecoveryRung.Diagnosing, (await engine.RunAsync(run.Id)).Rung);

        engine.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal([run.Id], await engine.ClaimRecoveryAsync(other));
        // The old holder, back from the dead, no longer owns it: its step changes nothing.
        await engine.StepRecoveryAsync(run.Id, holder);
        Assert.Equal(RecoveryRung.Diagnosing, (await engine.RunAsync(run.Id)).Rung);
        await engine.StepRecoveryAsync(run.Id, other);
        await engine.ReleaseRecoveryLeaseAsync(run.Id, other);

        var moved = await engine.RunAsync(run.Id);
        Assert.Equal(RecoveryRung.Retrying, moved.Rung);
        Assert.Null(moved.LeaseOwner);
        Assert.Single(await engine.RungChangesAsync(run));
    }

    [Fact]
    public async Task AwaitingTechnician_DeviceBackButTheStepLosesItsLease_TaskStaysOpen()
    {
        await using var engine = await EngineHarness.StartAsync();
        var (device, _, run) = await engine.FailPushJobAsync(null, "No suitable image found");
        engine.Push.Silence();
        await engine.StepRecoveryUntilIdleAsync();
        Assert.Equal(RecoveryRung.AwaitingTechnician, (await engine.RunAsync(run.Id)).Rung);
        engine.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal([run.Id], await engine.ClaimRecoveryAsync(A));

        // While A looks at the device (back, normal boot), its lease passes to B.
        engine.Push.Telemetry = d =>
        {
            StealLease(engine, run.Id, B);
            return DriverResult<DeviceReading>.Done(new DeviceReading(engine.Now, Fresh: true) { FirmwareVersion = "1.0.0", BootMode = "normal" });
        };
        await engine.StepRecoveryAsync(run.Id, A);

        Assert.Equal(RecoveryRung.AwaitingTechnician, (await engine.RunAsync(run.Id)).Rung);
        Assert.Equal(TechnicianTaskStatus.Open, Assert.Single(await engine.TasksAsync(run.Id)).Status);
        Assert.Equal(device.Id, (await engine.RunAsync(run.Id)).DeviceId);
    }

    [Fact]
    public async Task AwaitingTechnician_TaskDoneWhileAReplicaLooksAtTheDevice_TheStepDoesNotOverwriteTheNewRung()
    {
        await using var engine = await EngineHarness.StartAsync();
        var (_, _, run) = await engine.FailPushJobAsync(null, "No suitable image found");
        engine.Push.Silence();
        await engine.StepRecoveryUntilIdleAsync();
        var task = Assert.Single(await engine.TasksAsync(run.Id));
        engine.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal([run.Id], await engine.ClaimRecoveryAsync(A));

        // While A asks the (still silent) device, the technician marks the task done.
        engine.Push.Telemetry = _ =>
        {
            Complete(engine, task.Id);
            return DriverResult<DeviceReading>.Unreachable("connection refused");
        };
        await engine.StepRecoveryAsync(run.Id, A);
        await engine.ReleaseRecoveryLeaseAsync(run.Id, A);

        var verifying = await engine.RunAsync(run.Id);
        Assert.Equal(RecoveryRung.Verifying, verifying.Rung);
        Assert.StartsWith("Technician task done by tech@test", verifying.StatusReason, StringComparison.Ordinal);
        Assert.Equal(engine.Now, verifying.NextActionAt);
    }

    private static void Complete(EngineHarness engine, long taskId) =>
        Assert.Null(engine.WithAsync<RecoveryService, RecoveryActionResult>(s => s.CompleteTaskAsync(taskId, "tech@test", null, CancellationToken.None)).GetAwaiter().GetResult().Error);

    /// <summary>Another replica claims the run now (from inside a driver call, which is synchronous in the fake).</summary>
    private static void StealLease(EngineHarness engine, long runId, string owner) =>
        engine.WithDbAsync(db => db.Set<RecoveryRun>().Where(r => r.Id == runId)
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.LeaseOwner, owner))).GetAwaiter().GetResult();

    [Fact]
    public async Task Move_StaleExpectedRung_WritesNothing()
    {
        await using var engine = await EngineHarness.StartAsync();
        var (_, _, run) = await engine.FailJobAsync(null, "ERROR : HASH mismatch : 1f2e <--> 9a8b");
        Assert.Equal([run.Id], await engine.ClaimRecoveryAsync(A));

        // The run is diagnosing; a writer that believes it is cleaning up must lose.
        var moved = await engine.WithAsync<RecoveryStore, bool>(s => s.MoveAsync(run, RecoveryRung.CleaningUp, A,
            new RungChange(RecoveryRung.Blocked, "stale", engine.Now), CancellationToken.None));
        var notOurs = await engine.WithAsync<RecoveryStore, bool>(s => s.MoveAsync(run, RecoveryRung.Diagnosing, B,
            new RungChange(RecoveryRung.Blocked, "not my lease", engine.Now), CancellationToken.None));

        Assert.False(moved);
        Assert.False(notOurs);
        var after = await engine.RunAsync(run.Id);
        Assert.Equal(RecoveryRung.Diagnosing, after.Rung);
        Assert.Equal(run.StatusReason, after.StatusReason);
        Assert.Empty(await engine.RungChangesAsync(run));
    }

    [Fact]
    public async Task Move_NotInTheTable_Throws()
    {
        await using var engine = await EngineHarness.StartAsync();
        var (_, _, run) = await engine.FailJobAsync(null, "ERROR : HASH mismatch : 1f2e <--> 9a8b");

        await Assert.ThrowsAsync<InvalidOperationException>(() => engine.WithAsync<RecoveryStore, bool>(s => s.MoveAsync(run, RecoveryRung.Diagnosing, null,
            new RungChange(RecoveryRung.Rma, "skipping the ladder", engine.Now), CancellationToken.None)));
        Assert.Equal(RecoveryRung.Diagnosing, (await engine.RunAsync(run.Id)).Rung);
    }

    [Fact]
    public async Task Close_OperatorClosesWhileAReplicaSteps_OneOfThemWinsAndTheOtherChangesNothing()
    {
        await using var engine = await EngineHarness.StartAsync();
        var (_, _, run) = await engine.FailJobAsync(null, "ERROR : HASH mismatch : 1f2e <--> 9a8b");
        Assert.Equal([run.Id], await engine.ClaimRecoveryAsync(A));

        var close = engine.WithAsync<RecoveryService, RecoveryActionResult>(s => s.CloseAsync(run.Id, "operator@test", null, CancellationToken.None));
        var step = engine.StepRecoveryAsync(run.Id, A);
        await step;
        var closed = await close;

        var after = await engine.RunAsync(run.Id);
        var changes = await engine.RungChangesAsync(run);
        if (closed.Error is null)
        {
            Assert.Equal(RecoveryRung.Closed, after.Rung);
            Assert.Single(changes);
            Assert.Null(after.RetryJobId);
        }
        else
        {
            Assert.Equal(RecoveryActionError.Conflict, closed.Error);
            Assert.Equal(RecoveryRung.Retrying, after.Rung);
            Assert.Single(changes);
        }
    }
}
