using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Nova.Firmware.Domain.Common;
using Nova.Firmware.Domain.Devices;
using Nova.Firmware.Domain.Packages;
using Nova.Firmware.Domain.Preflight;
using Nova.Firmware.Domain.Recovery;
using Nova.Firmware.Domain.Timeline;
using Nova.Firmware.Persistence;

namespace Nova.Firmware.Engine.Recovery;

public enum RecoveryActionError
{
    NotFound = 0,
    /// <summary>The run or task is not where the action applies (already moved on, ended).</summary>
    Conflict = 1,
    Invalid = 2,
}

public sealed record RecoveryActionResult(RecoveryActionError? Error, string Message)
{
    public static RecoveryActionResult Ok(string message) => new(null, message);
    public static RecoveryActionResult NotFound(string message) => new(RecoveryActionError.NotFound, message);
    public static RecoveryActionResult Conflict(string message) => new(RecoveryActionError.Conflict, message);
    public static RecoveryActionResult Invalid(string message) => new(RecoveryActionError.Invalid, message);
}

/// <summary>
/// What people do to a recovery run: approve or reject a proposed package, choose whether the
/// intended version is re-attempted, close a run, and complete or fail a technician task with photos.
/// Each is one compare-and-set move: acting twice, or on a run that moved on, changes nothing.
/// </summary>
public sealed class RecoveryService(FirmwareDbContext db, RecoveryStore store, Jobs.DeviceJobService jobs, IOptions<RecoveryOptions> options, TimeProvider time)
{
    public const long MaxPhotoBytes = 10L * 1024 * 1024;
    public static readonly IReadOnlyList<string> PhotoTypes = ["image/jpeg", "image/png", "image/webp", "image/heic"];

    public async Task<RecoveryActionResult> ApproveAsync(long runId, string by, CancellationToken ct)
    {
        var run = await db.Set<RecoveryRun>().AsNoTracking().SingleOrDefaultAsync(r => r.Id == runId, ct);
        if (run is null)
        {
            return RecoveryActionResult.NotFound($"Recovery run {runId} does not exist.");
        }
        if (run.Rung != RecoveryRung.AwaitingApproval || run.ProposedPackageId is not { } packageId)
        {
            return RecoveryActionResult.Conflict($"Recovery run {runId} is {run.Rung.ToWire()}, not awaiting approval.");
        }
        var package = await db.Set<Domain.Packages.FirmwarePackage>().AsNoTracking().SingleOrDefaultAsync(p => p.Id == packageId, ct);
        if (package is null || package.QuarantinedAt is not null)
        {
            return RecoveryActionResult.Conflict($"The proposed package {packageId} is gone or quarantined; close the run and start a job by hand.");
        }
        var device = await db.Set<Device>().AsNoTracking().SingleAsync(d => d.Id == run.DeviceId, ct);
        var now = time.GetUtcNow();
        var job = Domain.Jobs.DeviceJob.Queue(device, packageId, package.Version, $"{by} (approved in recovery run {run.Id})", now);
        var moved = await store.MoveAsync(run, RecoveryRung.AwaitingApproval, null,
            new RungChange(RecoveryRung.Retrying, $"{by} approved {package.Vendor} {package.Version} ({package.FileName}) for {DeviceIdentity.Of(device)}.", now) { Job = job }, ct);
        return moved ? RecoveryActionResult.Ok($"Device job {job.Id} started.") : RecoveryActionResult.Conflict($"Recovery run {runId} moved on meanwhile.");
    }

    public Task<RecoveryActionResult> RejectAsync(long runId, string by, CancellationToken ct) =>
        EndAsync(runId, RecoveryRung.AwaitingApproval, RecoveryRung.Blocked, $"{by} rejected the proposed package; the device keeps its present firmware.",
            r => r.BlockingCheck = PreflightCheck.Compatibility, ct);

    public async Task<RecoveryActionResult> CloseAsync(long runId, string by, string? note, CancellationToken ct)
    {
        var run = await db.Set<RecoveryRun>().AsNoTracking().SingleOrDefaultAsync(r => r.Id == runId, ct);
        if (run is null)
        {
            return RecoveryActionResult.NotFound($"Recovery run {runId} does not exist.");
        }
        if (run.Rung.IsTerminal())
        {
            return RecoveryActionResult.Conflict($"Recovery run {runId} has ended ({run.Rung.ToWire()}).");
        }
        var now = time.GetUtcNow();
        var moved = await store.MoveAsync(run, run.Rung, null, new RungChange(RecoveryRung.Closed, $"Closed by {by}" + (note is { Length: > 0 } n ? $": {n}" : "."), now)
        {
            Also = async (d, c) =>
            {
                await d.Set<TechnicianTask>().Where(t => t.RunId == runId && t.Status == TechnicianTaskStatus.Open)
                    .ExecuteUpdateAsync(u => u.SetProperty(t => t.Status, TechnicianTaskStatus.Cancelled).SetProperty(t => t.CompletedAt, now).SetProperty(t => t.CompletedBy, by), c);
                return true;
            },
        }, ct);
        if (!moved)
        {
            return RecoveryActionResult.Conflict($"Recovery run {runId} moved on meanwhile; look again.");
        }
        if (run.Rung != RecoveryRung.Retrying || run.RetryJobId is not { } jobId)
        {
            return RecoveryActionResult.Ok("Closed.");
        }
        // The run's own device job goes with it where it still can: a closed run must not keep flashing.
        return await jobs.CancelAsync(jobId, by, ct) switch
        {
            Jobs.CancelJobResult.Requested => RecoveryActionResult.Ok($"Closed; its device job {jobId} was asked to cancel."),
            Jobs.CancelJobResult.TooLate => RecoveryActionResult.Ok($"Closed; its device job {jobId} is past the point where it can be cancelled and runs to its end (a failure then starts no new run)."),
            Jobs.CancelJobResult.NotFound or Jobs.CancelJobResult.AlreadyFinished => RecoveryActionResult.Ok("Closed."),
            _ => RecoveryActionResult.Ok("Closed."),
        };
    }

    public async Task<RecoveryActionResult> SetReattemptAsync(long runId, bool reattempt, string by, CancellationToken ct)
    {
        var run = await db.Set<RecoveryRun>().AsNoTracking().SingleOrDefaultAsync(r => r.Id == runId, ct);
        if (run is null)
        {
            return RecoveryActionResult.NotFound($"Recovery run {runId} does not exist.");
        }
        var rows = await db.Set<RecoveryRun>().Where(r => r.Id == runId && r.ActiveDeviceId != null)
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.ReattemptIntended, reattempt), ct);
        if (rows == 0)
        {
            return RecoveryActionResult.Conflict($"Recovery run {runId} has ended ({run.Rung.ToWire()}).");
        }
        await store.AppendAsync(new TimelineEntry
        {
            DeviceId = run.DeviceId, JobId = run.FailedJobId, At = time.GetUtcNow(), Kind = TimelineEntryKind.Recovery,
            Message = reattempt ? $"{by} chose to re-attempt {run.IntendedVersion} once the device is back." : $"{by} chose not to re-attempt {run.IntendedVersion}.",
        }, ct);
        return RecoveryActionResult.Ok(reattempt ? "The intended version is re-attempted once the device is back." : "The device stays on the version it comes back with.");
    }

    /// <summary>The technician did the steps: the engine verifies the device now.</summary>
    public Task<RecoveryActionResult> CompleteTaskAsync(long taskId, string by, string? note, CancellationToken ct) =>
        FinishTaskAsync(taskId, TechnicianTaskStatus.Done, RecoveryRung.Verifying, by, note,
            $"Technician task done by {by}; verifying the device: normal boot, a known version, healthy.", options.Value.VerifyWait, ct);

    /// <summary>The technician could not bring the device back: the run ends in RMA.</summary>
    public Task<RecoveryActionResult> FailTaskAsync(long taskId, string by, string? note, CancellationToken ct) =>
        FinishTaskAsync(taskId, TechnicianTaskStatus.Failed, RecoveryRung.Rma, by, note,
            $"{by} could not bring the device back" + (note is { Length: > 0 } n ? $" ({n})" : "") + ": open an RMA with the vendor and attach the RMA bundle.", null, ct);

    private async Task<RecoveryActionResult> FinishTaskAsync(long taskId, TechnicianTaskStatus status, RecoveryRung to, string by, string? note, string reason, TimeSpan? deadline, CancellationToken ct)
    {
        var task = await db.Set<TechnicianTask>().AsNoTracking().SingleOrDefaultAsync(t => t.Id == taskId, ct);
        if (task is null)
        {
            return RecoveryActionResult.NotFound($"Technician task {taskId} does not exist.");
        }
        if (task.Status != TechnicianTaskStatus.Open)
        {
            return RecoveryActionResult.Conflict($"Technician task {taskId} is already {task.Status.ToWire()}.");
        }
        var run = await db.Set<RecoveryRun>().AsNoTracking().SingleAsync(r => r.Id == task.RunId, ct);
        if (run.Rung != RecoveryRung.AwaitingTechnician)
        {
            return RecoveryActionResult.Conflict($"Recovery run {run.Id} is {run.Rung.ToWire()}, not waiting for a technician.");
        }
        var now = time.GetUtcNow();
        var text = note is { Length: > 2000 } ? note[..2000] : note;
        var moved = await store.MoveAsync(run, RecoveryRung.AwaitingTechnician, null, new RungChange(to, reason, now, now + deadline)
        {
            Also = async (d, c) => await d.Set<TechnicianTask>().Where(t => t.Id == taskId && t.Status == TechnicianTaskStatus.Open)
                .ExecuteUpdateAsync(u => u.SetProperty(t => t.Status, status).SetProperty(t => t.CompletedAt, now)
                    .SetProperty(t => t.CompletedBy, by).SetProperty(t => t.Note, text), c) == 1,
        }, ct);
        return moved ? RecoveryActionResult.Ok(reason) : RecoveryActionResult.Conflict($"Technician task {taskId} changed meanwhile; look again.");
    }

    public async Task<(TechnicianPhoto? Photo, RecoveryActionResult Result)> AddPhotoAsync(long taskId, string fileName, string contentType, string? caption, byte[] content, string by, CancellationToken ct)
    {
        var task = await db.Set<TechnicianTask>().AsNoTracking().SingleOrDefaultAsync(t => t.Id == taskId, ct);
        if (task is null)
        {
            return (null, RecoveryActionResult.NotFound($"Technician task {taskId} does not exist."));
        }
        if (content.Length == 0 || content.Length > MaxPhotoBytes)
        {
            return (null, RecoveryActionResult.Invalid($"A photo must be between 1 byte and {MaxPhotoBytes} bytes (got {content.Length})."));
        }
        if (!PhotoTypes.Contains(contentType, StringComparer.OrdinalIgnoreCase))
        {
            return (null, RecoveryActionResult.Invalid($"A photo must be one of {string.Join(", ", PhotoTypes)} (got '{contentType}')."));
        }
        var photo = new TechnicianPhoto
        {
            TaskId = taskId,
            DeviceId = task.DeviceId,
            FileName = SafeName(fileName),
            ContentType = contentType.ToLowerInvariant(),
            Caption = caption is { Length: > 500 } ? caption[..500] : caption,
            Content = content,
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(content)),
            UploadedAt = time.GetUtcNow(),
            UploadedBy = by,
        };
        db.Add(photo);
        db.Add(new TimelineEntry
        {
            DeviceId = task.DeviceId, At = photo.UploadedAt, Kind = TimelineEntryKind.Recovery,
            Message = $"{by} uploaded photo '{photo.FileName}' to technician task {taskId}" + (caption is { Length: > 0 } c ? $": {c}" : "."),
        });
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
        return (photo, RecoveryActionResult.Ok("Stored."));
    }

    private async Task<RecoveryActionResult> EndAsync(long runId, RecoveryRung from, RecoveryRung to, string reason, Action<RecoveryRun> apply, CancellationToken ct)
    {
        var run = await db.Set<RecoveryRun>().AsNoTracking().SingleOrDefaultAsync(r => r.Id == runId, ct);
        if (run is null)
        {
            return RecoveryActionResult.NotFound($"Recovery run {runId} does not exist.");
        }
        if (run.Rung != from)
        {
            return RecoveryActionResult.Conflict($"Recovery run {runId} is {run.Rung.ToWire()}, not {from.ToWire()}.");
        }
        var moved = await store.MoveAsync(run, from, null, new RungChange(to, reason, time.GetUtcNow()) { Apply = apply }, ct);
        return moved ? RecoveryActionResult.Ok(reason) : RecoveryActionResult.Conflict($"Recovery run {runId} moved on meanwhile.");
    }

    /// <summary>Keeps a photo's name to its last path segment and plain characters: it becomes a file name in the RMA zip.</summary>
    private static string SafeName(string name)
    {
        var last = Path.GetFileName(name.Replace('\\', '/'));
        var clean = new string(last.Select(c => char.IsLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_').ToArray()).Trim('.');
        return clean.Length is 0 ? "photo" : clean.Length > 100 ? clean[^100..] : clean;
    }
}
