namespace Nova.Firmware.Domain.Rollouts;

/// <summary>
/// The one table of allowed rollout status changes. The store writes each as a compare-and-set on
/// the expected status, so an operator's pause and the loop's next wave never both win.
/// </summary>
public static class RolloutTransitions
{
    private static readonly Dictionary<RolloutStatus, RolloutStatus[]> Allowed = new()
    {
        [RolloutStatus.Ready] = [RolloutStatus.Running, RolloutStatus.Cancelled],
        [RolloutStatus.Running] = [RolloutStatus.Paused, RolloutStatus.AwaitingApproval, RolloutStatus.Completed, RolloutStatus.Cancelled],
        [RolloutStatus.Paused] = [RolloutStatus.Running, RolloutStatus.Cancelled],
        [RolloutStatus.AwaitingApproval] = [RolloutStatus.Running, RolloutStatus.Paused, RolloutStatus.Cancelled],
        // "Retry failed" on a finished rollout sends it back to work on the devices that failed.
        [RolloutStatus.Completed] = [RolloutStatus.Running],
        [RolloutStatus.Cancelled] = [],
    };

    public static bool IsAllowed(RolloutStatus from, RolloutStatus to) => Allowed[from].Contains(to);

    public static IReadOnlyList<RolloutStatus> From(RolloutStatus status) => Allowed[status];

    /// <summary>Statuses the rollout loop looks at: it still has devices to follow or start.</summary>
    public static IReadOnlyList<RolloutStatus> Followed { get; } =
        [RolloutStatus.Running, RolloutStatus.Paused, RolloutStatus.AwaitingApproval];

    public static bool IsFollowed(this RolloutStatus status) => status switch
    {
        RolloutStatus.Running or RolloutStatus.Paused or RolloutStatus.AwaitingApproval => true,
        RolloutStatus.Ready or RolloutStatus.Completed or RolloutStatus.Cancelled => false,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Unknown rollout status."),
    };
}
