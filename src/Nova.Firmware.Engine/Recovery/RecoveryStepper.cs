using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Nova.Firmware.Domain.Common;
using Nova.Firmware.Domain.Devices;
using Nova.Firmware.Domain.Drivers;
using Nova.Firmware.Domain.Jobs;
using Nova.Firmware.Domain.Packages;
using Nova.Firmware.Domain.Recovery;
using Nova.Firmware.Engine.Drivers;
using Nova.Firmware.Engine.Jobs;
using Nova.Firmware.Engine.Observations;
using Nova.Firmware.Engine.Options;
using Nova.Firmware.Persistence;
using Nova.Firmware.Persistence.Packages;

namespace Nova.Firmware.Engine.Recovery;

/// <summary>
/// Runs one idempotent step of one claimed recovery run: looks at the device and the rung, and
/// either moves the run on (compare-and-set, see <see cref="RecoveryStore"/>) or says when to look
/// again. The rungs live in the partial files beside this one: diagnosing, the device rungs
/// (self-recovery, recovery partition, re-flash, verify), and the rungs that run jobs or wait on people.
/// </summary>
public sealed partial class RecoveryStepper(
    FirmwareDbContext db,
    RecoveryStore store,
    DeviceDrivers drivers,
    IPackageBlobs blobs,
    PackageStore packages,
    DeviceReadingRecorder readings,
    IOptions<RecoveryOptions> options,
    IOptions<EngineOptions> engine,
    TimeProvider time,
    ILogger<RecoveryStepper> log)
{
    private sealed record Step(RecoveryRun Run, Device Device, DeviceReport? Report, FirmwarePackage Package, IDeviceDriver? Driver, string Owner, DateTimeOffset Now);

    /// <summary>What the device showed when the step looked: did it answer, and in what state.</summary>
    private sealed record Look(bool Answered, Device Device, DeviceReport? Report, string? Why)
    {
        public string? BootMode => Report?.BootMode;
        public string? Version => Device.Firmware.ActiveVersion;

        /// <summary>Back in normal boot and heard from since <paramref name="since"/>.</summary>
        public bool BackNormalSince(DateTimeOffset since) =>
            Answered && Device.Health.LastSeenAt is { } seen && seen >= since && DeviceHealthRule.IsNormalBootMode(BootMode)
            && (Report is null || Report.ReportedAt >= since || Device.Protocol != DeviceProtocol.Ddi);
    }

    public async Task StepAsync(long runId, string owner, CancellationToken cancellationToken)
    {
        using var activity = Telemetry.NovaTelemetry.Source.StartActivity("recovery_run.step");
        activity?.SetTag(Telemetry.NovaTelemetry.Attributes.RecoveryRunId, runId);
        var run = await db.Set<RecoveryRun>().AsNoTracking().SingleOrDefaultAsync(r => r.Id == runId, cancellationToken);
        if (run is null || run.LeaseOwner != owner || run.Rung.IsTerminal())
        {
            return;
        }
        activity?.SetTag(Telemetry.NovaTelemetry.Attributes.DeviceId, run.DeviceId.ToString());
        activity?.SetTag(Telemetry.NovaTelemetry.Attributes.JobId, run.FailedJobId);
        activity?.SetTag(Telemetry.NovaTelemetry.Attributes.RecoveryRung, run.Rung.ToWire());
        var s = await LoadAsync(run, owner, cancellationToken);
        switch (run.Rung)
        {
            case RecoveryRung.Diagnosing:
                await DiagnosingAsync(s, cancellationToken);
                break;
            case RecoveryRung.CleaningUp:
                await CleaningUpAsync(s, cancellationToken);
                break;
            case RecoveryRung.Retrying:
                await RetryingAsync(s, cancellationToken);
                break;
            case RecoveryRung.WaitingForSelfRecovery:
                await WaitingForSelfRecoveryAsync(s, cancellationToken);
                break;
            case RecoveryRung.BootingRecovery:
                await BootingRecoveryAsync(s, cancellationToken);
                break;
            case RecoveryRung.Reflashing:
                await ReflashingAsync(s, cancellationToken);
                break;
            case RecoveryRung.Verifying:
                await VerifyingAsync(s, cancellationToken);
                break;
            case RecoveryRung.AwaitingTechnician:
                await AwaitingTechnicianAsync(s, cancellationToken);
                break;
            case RecoveryRung.AwaitingApproval:
                // Only an operator moves it; look again rarely, in case the device was deleted or the run closed.
                await store.ReleaseAsync(run.Id, owner, RecoveryRung.AwaitingApproval, s.Now + TimeSpan.FromHours(1), cancellationToken);
                break;
            case RecoveryRung.Recovered:
            case RecoveryRung.Blocked:
            case RecoveryRung.Rma:
            case RecoveryRung.Closed:
                break;
            default:
                throw new InvalidOperationException($"Unknown recovery rung {run.Rung}.");
        }
    }

    private async Task<Step> LoadAsync(RecoveryRun run, string owner, CancellationToken ct)
    {
        // Report before device, as the job stepper does: the device row read second is at least as new.
        var report = await db.Set<DeviceReport>().AsNoTracking().SingleOrDefaultAsync(r => r.DeviceId == run.DeviceId, ct);
        var device = await db.Set<Device>().AsNoTracking().SingleAsync(d => d.Id == run.DeviceId, ct);
        var package = await db.Set<FirmwarePackage>().AsNoTracking().SingleAsync(p => p.Id == run.PackageId, ct);
        return new Step(run, device, report, package, drivers.Find(device.Protocol), owner, time.GetUtcNow());
    }

    /// <summary>
    /// Looks at the device: a push device is asked now (its answer recorded like any reading); a
    /// pull device is judged by its last poll and report, which the server asks for while a run is active.
    /// </summary>
    private async Task<Look> LookAsync(Step s, CancellationToken ct)
    {
        if (s.Driver is { Delivery: DriverDelivery.Push } driver)
        {
            var result = await driver.ReadTelemetryAsync(s.Device, ct);
            if (result.Outcome == DriverOutcome.Done && result.Reading is { } reading)
            {
                await readings.RecordAsync(s.Device.Id, s.Run.RetryJobId ?? s.Run.FailedJobId, reading, ct);
                var report = await db.Set<DeviceReport>().AsNoTracking().SingleOrDefaultAsync(r => r.DeviceId == s.Device.Id, ct);
                var device = await db.Set<Device>().AsNoTracking().SingleAsync(d => d.Id == s.Device.Id, ct);
                return new Look(true, device, report, null);
            }
            return new Look(false, s.Device, s.Report, result.Reason ?? result.Outcome.ToWire());
        }
        var heard = s.Device.Health.LastSeenAt is { } seen && seen >= s.Run.RungStartedAt;
        return new Look(s.Device.Health.LastSeenAt is not null, s.Device, s.Report, heard ? null : "no poll since this rung started");
    }

    /// <summary>
    /// The end of the device's own log, as lines: the part written since the flash began is what
    /// explains it, older lines may tell of older failures. Empty when the device gives none.
    /// </summary>
    private static async Task<List<string>> LogTailAsync(IDeviceDriver driver, Device device, CancellationToken ct)
    {
        var read = await driver.ReadLogsAsync(device, ct);
        return read.Outcome == DriverOutcome.Done && read.Value is { Length: > 0 } text
            ? text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).TakeLast(200).ToList()
            : [];
    }

    private Task<bool> MoveAsync(Step s, RungChange change, CancellationToken ct) => MoveAsync(s, s.Run.Rung, change, ct);

    private async Task<bool> MoveAsync(Step s, RecoveryRung from, RungChange change, CancellationToken ct)
    {
        var moved = await store.MoveAsync(s.Run, from, s.Owner, change, ct);
        if (moved)
        {
            LogMoved(log, s.Run.Id, s.Run.DeviceId, from, change.To, change.Reason);
        }
        return moved;
    }

    private Task KeepAsync(Step s, string reason, TimeSpan? after, CancellationToken ct) =>
        store.KeepAsync(s.Run.Id, s.Owner, s.Run.Rung, reason, s.Now + (after ?? options.Value.RecheckInterval), ct);

    private RungChange To(Step s, RecoveryRung rung, string reason, TimeSpan? deadline = null) =>
        new(rung, reason, s.Now, deadline is { } d ? s.Now + d : null);

    private static string Json(object value) => JsonSerializer.Serialize(value);

    [LoggerMessage(EventId = 2201, Level = LogLevel.Information, Message = "Recovery run {RunId} on device {DeviceId}: {From} -> {To}: {Reason}")]
    private static partial void LogMoved(ILogger logger, long runId, Guid deviceId, RecoveryRung from, RecoveryRung to, string reason);
}
