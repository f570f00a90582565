using Nova.Firmware.Domain.Rollouts;

namespace Nova.Firmware.Server.Endpoints.Management.Rollouts;

/// <summary>
/// A new rollout. <c>packageIds</c> lists the packages in order of preference (each device gets the
/// first that fits); <c>packageId</c> is the short form for one. <c>start</c> starts it at once.
/// </summary>
public sealed record CreateRolloutRequest(string? Name, Guid? PackageId, List<Guid>? PackageIds, RolloutTarget? Target, RolloutStrategy? Strategy, bool Start = false);

/// <summary>What a rollout would do, before it exists: which devices match, which package fits each, what the pre-flight gate says today.</summary>
public sealed record PreviewRolloutRequest(Guid? PackageId, List<Guid>? PackageIds, RolloutTarget? Target, RolloutStrategy? Strategy);

public sealed record WaveProgress(int Wave, string Name, bool Opened, int Total, int Pending, int Active, int Succeeded, int Failed, int Blocked, int Cancelled, int Skipped, double SuccessPercent);

public sealed record RolloutProgress(
    int Total,
    IReadOnlyDictionary<string, int> ByState,
    IReadOnlyList<WaveProgress> Waves,
    IReadOnlyDictionary<string, int> FailuresByCause,
    IReadOnlyDictionary<string, int> BlockedByCheck,
    int Unplanned,
    DateTimeOffset? EstimatedCompletion);

public sealed record RolloutResponse(
    long Id,
    string Name,
    RolloutStatus Status,
    string? StatusReason,
    IReadOnlyList<Guid> PackageIds,
    RolloutTarget Target,
    RolloutStrategy Strategy,
    int WaveCount,
    int OpenedWave,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    RolloutProgress? Progress)
{
    public static RolloutResponse From(Rollout r, RolloutProgress? progress) => new(
        r.Id, r.Name, r.Status, r.StatusReason, r.PackageIds, r.Target, r.Strategy, r.WaveCount, r.OpenedWave,
        r.CreatedBy, r.CreatedAt, r.UpdatedAt, r.StartedAt, r.FinishedAt, progress);
}

public sealed record RolloutDeviceResponse(
    Guid DeviceId, string ControllerId, int Wave, RolloutDeviceState State, Guid? PackageId, long? JobId, int Attempts,
    DateTimeOffset? RetryAt, string? Cause, string? BlockingCheck, string? Reason, DateTimeOffset UpdatedAt);

public sealed record RolloutActionResponse(long Id, RolloutStatus Status, string? Message);
