using Nova.Firmware.Domain.Common;
using Nova.Firmware.Domain.Recovery;

namespace Nova.Firmware.Server.Endpoints.Management.Recovery;

/// <summary>A recovery run as the API shows it: the diagnosis, the rung, and what it waits for.</summary>
public sealed record RecoveryRunResponse(
    long Id, Guid DeviceId, long FailedJobId, Guid PackageId, string IntendedVersion, string Rung, bool Active,
    string Cause, double Confidence, IReadOnlyList<string> Evidence, string StatusReason,
    string? BlockingCheck, long? ShortfallBytes, Guid? ProposedPackageId, long? RetryJobId, int Retries, int RecoveryBoots,
    bool ReattemptIntended, string? RecoveredVersion, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt,
    DateTimeOffset RungStartedAt, DateTimeOffset? RungDeadline, long? TechnicianTaskId, string? ControllerId)
{
    /// <param name="controllerId">The device's name for people and scripts; null where the caller already shows the device.</param>
    public static RecoveryRunResponse From(RecoveryRun r, long? taskId, string? controllerId = null) => new(
        r.Id, r.DeviceId, r.FailedJobId, r.PackageId, r.IntendedVersion, r.Rung.ToWire(), !r.Rung.IsTerminal(),
        r.Cause.ToWire(), r.Confidence, r.Evidence, r.StatusReason,
        r.BlockingCheck?.ToWire(), r.ShortfallBytes, r.ProposedPackageId, r.RetryJobId, r.Retries, r.RecoveryBoots,
        r.ReattemptIntended, r.RecoveredVersion, r.CreatedAt, r.UpdatedAt, r.RungStartedAt, r.RungDeadline, taskId, controllerId);
}

public sealed record TechnicianPhotoResponse(long Id, string FileName, string ContentType, string? Caption, string Sha256, long Size, DateTimeOffset UploadedAt, string UploadedBy, string Url)
{
    public static TechnicianPhotoResponse From(TechnicianPhoto p, long size) =>
        new(p.Id, p.FileName, p.ContentType, p.Caption, p.Sha256, size, p.UploadedAt, p.UploadedBy, $"/api/v1/technician-tasks/{p.TaskId}/photos/{p.Id}");
}

public sealed record TechnicianTaskResponse(
    long Id, long RunId, Guid DeviceId, string Status, string Title, string Reason, IReadOnlyList<string> Steps,
    string? WaitForLed, IReadOnlyList<string> PhotosWanted, Guid? SdImagePackageId, string? SdImageSha256, string? SdImageUrl,
    DateTimeOffset CreatedAt, DateTimeOffset? CompletedAt, string? CompletedBy, string? Note, IReadOnlyList<TechnicianPhotoResponse> Photos)
{
    public static TechnicianTaskResponse From(TechnicianTask t, IReadOnlyList<TechnicianPhotoResponse> photos) => new(
        t.Id, t.RunId, t.DeviceId, t.Status.ToWire(), t.Title, t.Reason, t.Steps, t.WaitForLed, t.PhotosWanted,
        t.SdImagePackageId, t.SdImageSha256, t.SdImageUrl, t.CreatedAt, t.CompletedAt, t.CompletedBy, t.Note, photos);
}

public sealed record RecoveryNoteRequest(string? Note);

public sealed record ReattemptRequest(bool? Reattempt);
