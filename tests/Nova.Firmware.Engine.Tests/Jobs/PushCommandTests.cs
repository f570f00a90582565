using Microsoft.EntityFrameworkCore;
using Nova.Firmware.Domain.Devices;
using Nova.Firmware.Domain.Drivers;
using Nova.Firmware.Domain.Jobs;
using Nova.Firmware.Domain.Timeline;
using Nova.Firmware.Engine.Jobs;
using Nova.Firmware.Engine.Tests.Infrastructure;

namespace Nova.Firmware.Engine.Tests.Jobs;

/// <summary>
/// Commands to push devices: issued once per job and attempt, only after the move to transferring
/// is committed; after a crash the driver looks at the device before anything is sent again.
/// </summary>
public sealed class PushCommandTests
{
    private static async Task<(EngineHarness Engine, Device Device, long JobId)> PushJobAsync(Action<FakePushDriver>? script = null)
    {
        var engine = await EngineHarness.StartAsync();
        script?.Invoke(engine.Push);
        var device = await engine.SeedDeviceAsync(d => d.Protocol(DeviceProtocol.Onvif));
        var package = await engine.SeedPackageAsync();
        var jobId = (await engine.CreateJobAsync(device.Id, package.Id)).Job!.Id;
        return (engine, device, jobId);
    }

    private static Task<List<DeviceCommand>> CommandsAsync(EngineHarness engine, long jobId) =>
        engine.WithDbAsync(db => db.Set<DeviceCommand>().AsNoTracking().Where(c => c.JobId == jobId).OrderBy(c => c.Attempt).ToListAsync());

    [Fact]
    public async Task Transfer_PushDevice_IssuedOnceAfterTheMoveToTransferringIsCommitted()
    {
        DeviceJobStatus? statusWhenSent = null;
        var commandRowWhenSent = false;
        EngineHarness? harness = null;
        var (engine, _, jobId) = await PushJobAsync(push => push.Transfer = async (context, ct) =>
        {
            // Look at the database from outside the step, as a crash would leave it.
            statusWhenSent = (await harness!.JobAsync(context.Job.Id)).Status;
            commandRowWhenSent = (await CommandsAsync(harness, context.Job.Id)).Count == 1;
            await context.ObserveAsync(TimelineEntryKind.Feedback, "Upload accepted.", nameof(JobSignalKind.Installed), ct);
            return DriverResult.Done();
        });
        harness = engine;
        await using var _ = engine;

        await engine.StepUntilIdleAsync();

        Assert.Equal(DeviceJobStatus.Transferring, statusWhenSent);
        Assert.True(commandRowWhenSent);
        Assert.Equal(1, engine.Push.Transfers);
        var job = await engine.JobAsync(jobId);
        Assert.Equal(DeviceJobStatus.Rebooting, job.Status);
        Assert.NotNull(job.ActionServedAt);
        var command = Assert.Single(await CommandsAsync(engine, jobId));
        Assert.Equal(DriverOutcome.Done, command.Outcome);
        Assert.NotNull(command.CompletedAt);
    }

    [Fact]
    public async Task Transfer_ProcessStopsMidPush_NextReplicaLooksFirstAndNeverResendsWhatTheDeviceTook()
    {
        using var stopping = new CancellationTokenSource();
        var (engine, device, jobId) = await PushJobAsync(push => push.Transfer = async (_, ct) =>
        {
            // The server is killed while the image is on the wire.
            await stopping.CancelAsync();
            ct.ThrowIfCancellationRequested();
            throw new InvalidOperationException("The push was given a token that does not stop with the process.");
        });
        await using var _ = engine;
        await engine.StepJobOnceAsync(jobId);
        await engine.StepJobOnceAsync(jobId);
        Assert.Equal(DeviceJobStatus.Transferring, (await engine.JobAsync(jobId)).Status);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => engine.StepJobOnceAsync(jobId, cancellationToken: stopping.Token));
        Assert.Null(Assert.Single(await CommandsAsync(engine, jobId)).CompletedAt);

        // The device did take the image: the driver sees it rebooting into it.
        engine.Push.Follow = (context, ct) => context.ObserveAsync(TimelineEntryKind.Feedback, "The camera is rebooting into the new image.", nameof(JobSignalKind.Installed), ct);
        engine.Advance(engine.Options.LeaseDuration + TimeSpan.FromSeconds(1));
        await engine.StepUntilIdleAsync(EngineHarness.ReplicaB);

        Assert.Equal(1, engine.Push.Transfers);
        Assert.True(engine.Push.Follows >= 1);
        Assert.Equal(DeviceJobStatus.Rebooting, (await engine.JobAsync(jobId)).Status);
        Assert.Single(await CommandsAsync(engine, jobId));
        Assert.NotEqual(Guid.Empty, device.Id);
    }

    [Fact]
    public async Task Transfer_CutOffBeforeTheDeviceTookIt_SentAgainAsASecondAttemptOnlyAfterTheDriverSaysSo()
    {
        var attempts = new List<int>();
        var (engine, _, jobId) = await PushJobAsync(push => push.Transfer = (context, _) =>
        {
            attempts.Add(context.Attempt);
            return Task.FromResult(attempts.Count == 1 ? DriverResult.Unreachable("connection reset mid-upload") : DriverResult.Pending("uploading"));
        });
        await using var _ = engine;
        await engine.StepUntilIdleAsync();
        Assert.Equal([1], attempts);

        // Re-checks with no verdict from the driver: nothing is sent again.
        engine.Advance(TimeSpan.FromSeconds(5));
        await engine.StepUntilIdleAsync();
        Assert.Equal([1], attempts);

        // The driver finds the camera idle on its old firmware: the first upload never landed.
        engine.Push.Follow = (context, ct) => context.Attempt == 1
            ? context.ObserveAsync(TimelineEntryKind.Feedback, "Idle on 1.0.0; the upload never reached it.", nameof(JobSignalKind.TransferLost), ct)
            : Task.CompletedTask;
        engine.Advance(TimeSpan.FromSeconds(5));
        await engine.StepUntilIdleAsync();

        Assert.Equal([1, 2], attempts);
        var commands = await CommandsAsync(engine, jobId);
        Assert.Equal([1, 2], commands.Select(c => c.Attempt));
        Assert.Equal(DriverOutcome.Unreachable, commands[0].Outcome);
    }

    [Fact]
    public async Task Transfer_CutOffMoreThanTheMaximum_FailsUnreachable()
    {
        var (engine, _, jobId) = await PushJobAsync(push =>
        {
            push.Transfer = (_, _) => Task.FromResult(DriverResult.Unreachable("reset"));
            push.Follow = (context, ct) => context.Observations.Count(o => o.Data == nameof(JobSignalKind.TransferLost)) < context.Attempt
                ? context.ObserveAsync(TimelineEntryKind.Feedback, "Idle on the old firmware.", nameof(JobSignalKind.TransferLost), ct)
                : Task.CompletedTask;
        });
        await using var _ = engine;
        for (var i = 0; i < 10; i++)
        {
            await engine.StepUntilIdleAsync();
            engine.Advance(TimeSpan.FromSeconds(5));
        }

        var job = await engine.JobAsync(jobId);
        Assert.Equal(DeviceJobStatus.Failed, job.Status);
        Assert.Equal(Domain.Diagnosis.FailureCause.Unreachable, job.Cause);
        Assert.Equal(engine.Options.MaxTransferAttempts, engine.Push.Transfers);
    }

    [Fact]
    public async Task Transfer_DeviceRefusesTheImage_FailsWithTheDevicesWords()
    {
        var (engine, _, jobId) = await PushJobAsync(push => push.Transfer = (_, _) =>
            Task.FromResult(DriverResult.Failed("HTTP 415 from the upload URI: Image invalid or corrupted")));
        await using var _ = engine;

        await engine.StepUntilIdleAsync();

        var job = await engine.JobAsync(jobId);
        Assert.Equal(DeviceJobStatus.Failed, job.Status);
        Assert.Contains("Image invalid or corrupted", job.StatusReason);
        Assert.Equal(Domain.Diagnosis.FailureCause.ChecksumMismatch, job.Cause);
    }

    [Fact]
    public async Task Cancel_PushDevice_HonouredBeforeTheTransferIsIssuedRefusedAfter()
    {
        var (engine, _, jobId) = await PushJobAsync(push => push.Transfer = (_, _) => Task.FromResult(DriverResult.Pending("uploading")));
        await using var _ = engine;
        await engine.StepUntilIdleAsync();

        var late = await engine.WithAsync<DeviceJobService, CancelJobResult>(s => s.CancelAsync(jobId, "operator@test", CancellationToken.None));

        Assert.Equal(CancelJobResult.TooLate, late);
        Assert.False((await engine.JobAsync(jobId)).CancelRequested);

        var device = await engine.SeedDeviceAsync(d => d.Protocol(DeviceProtocol.Onvif));
        var package = await engine.SeedPackageAsync("3.0.0");
        var second = (await engine.CreateJobAsync(device.Id, package.Id)).Job!.Id;
        var early = await engine.WithAsync<DeviceJobService, CancelJobResult>(s => s.CancelAsync(second, "operator@test", CancellationToken.None));
        await engine.StepUntilIdleAsync();

        Assert.Equal(CancelJobResult.Requested, early);
        Assert.Equal(DeviceJobStatus.Cancelled, (await engine.JobAsync(second)).Status);
        Assert.Equal(1, engine.Push.Transfers);
    }

    [Fact]
    public async Task Create_DriverSaysItCanNeverRun_RefusedWithTheReasonAndNothingStored()
    {
        await using var engine = await EngineHarness.StartAsync();
        engine.Push.CannotFlashReason = "The camera has no ONVIF address.";
        var device = await engine.SeedDeviceAsync(d => d.Protocol(DeviceProtocol.Onvif));
        var package = await engine.SeedPackageAsync();

        var created = await engine.CreateJobAsync(device.Id, package.Id);

        Assert.Equal(CreateJobError.CannotRun, created.Error);
        Assert.Contains("no ONVIF address", created.Message);
        Assert.Equal(0, await engine.WithDbAsync(db => db.Set<DeviceJob>().CountAsync()));
    }

    [Fact]
    public async Task Lease_LongPush_RenewedSoNoOtherReplicaCanTakeTheJob()
    {
        var pushing = new TaskCompletionSource();
        var finish = new TaskCompletionSource();
        var (engine, _, jobId) = await PushJobAsync(push => push.Transfer = async (context, ct) =>
        {
            pushing.SetResult();
            await finish.Task.WaitAsync(ct);
            return DriverResult.Pending("uploaded");
        });
        await using var _ = engine;
        // Queued → pre-flight → transferring; the push itself starts in the next step.
        await engine.StepJobOnceAsync(jobId);
        await engine.StepJobOnceAsync(jobId);
        Assert.Equal(DeviceJobStatus.Transferring, (await engine.JobAsync(jobId)).Status);
        Assert.Equal([jobId], await engine.ClaimAsync(EngineHarness.ReplicaA));
        var step = engine.StepAsync(jobId, EngineHarness.ReplicaA);
        await pushing.Task.WaitAsync(TimeSpan.FromSeconds(30));

        // Twice the lease passes while the push runs; each third of it the lease is renewed.
        var leaseAtStart = (await engine.JobAsync(jobId)).LeaseUntil!.Value;
        for (var elapsed = TimeSpan.Zero; elapsed < engine.Options.LeaseDuration * 2; elapsed += TimeSpan.FromSeconds(5))
        {
            engine.Advance(TimeSpan.FromSeconds(5));
            // Renewed every third of the lease, so a third of it always remains once the renewal has landed.
            await WaitUntilAsync(async () => (await engine.JobAsync(jobId)).LeaseUntil!.Value - engine.Now >= engine.Options.LeaseDuration / 3);
            Assert.Empty(await engine.ClaimAsync(EngineHarness.ReplicaB));
        }
        Assert.True((await engine.JobAsync(jobId)).LeaseUntil > leaseAtStart + engine.Options.LeaseDuration);

        finish.SetResult();
        await step.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(1, engine.Push.Transfers);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 200 && !await condition(); i++)
        {
            await Task.Delay(10);
        }
    }
}
