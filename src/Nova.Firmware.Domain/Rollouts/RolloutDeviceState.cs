using Nova.Firmware.Domain.Common;

namespace Nova.Firmware.Domain.Rollouts;

/// <summary>Where one device of a rollout stands. The device job holds the detail; this is the rollout's view of it.</summary>
public enum RolloutDeviceState
{
    /// <summary>No job yet: its wave has not opened, a limit or the window holds it back, or a retry is due later.</summary>
    [WireName("pending")] Pending = 0,
    /// <summary>Its device job is running.</summary>
    [WireName("active")] Active = 1,
    [WireName("succeeded")] Succeeded = 2,
    /// <summary>Its job failed (a cause is known); may be retried while <see cref="RolloutDevice.RetryAt"/> is set.</summary>
    [WireName("failed")] Failed = 3,
    /// <summary>Pre-flight refused it; retried only when the blocking check can change by itself (power, reachability).</summary>
    [WireName("blocked")] Blocked = 4,
    [WireName("cancelled")] Cancelled = 5,
    /// <summary>Already on the target version when its turn came: nothing to do.</summary>
    [WireName("skipped")] Skipped = 6,
}

public static class RolloutDeviceStates
{
    /// <summary>A device the rollout is done with unless a retry brings it back.</summary>
    public static bool IsDecided(this RolloutDeviceState state) => state switch
    {
        RolloutDeviceState.Succeeded or RolloutDeviceState.Failed or RolloutDeviceState.Blocked
            or RolloutDeviceState.Cancelled or RolloutDeviceState.Skipped => true,
        RolloutDeviceState.Pending or RolloutDeviceState.Active => false,
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "Unknown rollout device state."),
    };
}
