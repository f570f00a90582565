using Nova.Firmware.Domain.Common;
namespace Nova.Firmware.Domain.Rollouts;

/// <summary>
/// Many device jobs with a strategy. Persisted with its status and when the rollout loop should
/// look at it next; replicas claim it with a lease, like device jobs and recovery runs, and change
/// its status by compare-and-set. Its devices are <see cref="RolloutDevice"/> rows; their jobs are
/// ordinary device jobs carrying the rollout's id.
/// </summary>
public sealed class Rollout : ILeasedWork
{
    public long Id { get; set; }
    public required string Name { get; set; }
    /// <summary>The packages to roll out; each device gets the first one that fits its model, revision and SoC.</summary>
    public List<Guid> PackageIds { get; set; } = [];
    public RolloutStatus Status { get; set; }
    public RolloutTarget Target { get; set; } = new();
    public RolloutStrategy Strategy { get; set; } = new();
    /// <summary>A readable sentence on the latest status: why it paused, what it waits for.</summary>
    public string? StatusReason { get; set; }
    public int WaveCount { get; set; }
    /// <summary>The highest wave whose devices may start; -1 before the rollout starts.</summary>
    public int OpenedWave { get; set; } = -1;
    /// <summary>Failed devices an operator has seen and resumed past: the error threshold counts only newer ones.</summary>
    public int AcknowledgedFailures { get; set; }
    public required string CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public DateTimeOffset? LastJoinCheckAt { get; set; }
    public DateTimeOffset NextActionAt { get; set; }
    public string? LeaseOwner { get; set; }
    public DateTimeOffset? LeaseUntil { get; set; }
}
