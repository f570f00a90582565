using Nova.Firmware.Domain.Common;

namespace Nova.Firmware.Domain.Rollouts;

/// <summary>Where a rollout stands. Stored as the wire name; the names are fixed forever.</summary>
public enum RolloutStatus
{
    /// <summary>Created with its target and strategy; nothing runs until an operator starts it.</summary>
    [WireName("ready")] Ready = 0,
    [WireName("running")] Running = 1,
    /// <summary>By an operator, or by the rollout itself (error threshold, a wave below its success gate); jobs already started run to their end.</summary>
    [WireName("paused")] Paused = 2,
    /// <summary>A wave ended and the strategy asks for an operator's approval before the next one opens.</summary>
    [WireName("awaiting-approval")] AwaitingApproval = 3,
    [WireName("completed")] Completed = 4,
    [WireName("cancelled")] Cancelled = 5,
}
