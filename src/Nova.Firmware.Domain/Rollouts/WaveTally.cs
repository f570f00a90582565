namespace Nova.Firmware.Domain.Rollouts;

/// <summary>How the devices of one wave stand.</summary>
public sealed record WaveTally(int Wave)
{
    public int Total { get; init; }
    public int Pending { get; init; }
    public int Active { get; init; }
    public int Succeeded { get; init; }
    public int Failed { get; init; }
    public int Blocked { get; init; }
    public int Cancelled { get; init; }
    public int Skipped { get; init; }
    /// <summary>Failed or blocked devices with a retry still to come.</summary>
    public int RetryPending { get; init; }

    /// <summary>Nothing left to run in this wave: no device waiting, running or due for a retry.</summary>
    public bool IsDone => Pending == 0 && Active == 0 && RetryPending == 0;

    public double SuccessPercent => Total == 0 ? 100 : 100.0 * (Succeeded + Skipped) / Total;

    public static IReadOnlyList<WaveTally> Of(IEnumerable<RolloutDevice> devices) =>
        devices.Where(d => d.Wave != RolloutDevice.Unplanned).GroupBy(d => d.Wave).OrderBy(g => g.Key).Select(g => new WaveTally(g.Key)
        {
            Total = g.Count(),
            Pending = g.Count(d => d.State == RolloutDeviceState.Pending),
            Active = g.Count(d => d.State == RolloutDeviceState.Active),
            Succeeded = g.Count(d => d.State == RolloutDeviceState.Succeeded),
            Failed = g.Count(d => d.State == RolloutDeviceState.Failed),
            Blocked = g.Count(d => d.State == RolloutDeviceState.Blocked),
            Cancelled = g.Count(d => d.State == RolloutDeviceState.Cancelled),
            Skipped = g.Count(d => d.State == RolloutDeviceState.Skipped),
            RetryPending = g.Count(d => d.State is RolloutDeviceState.Failed or RolloutDeviceState.Blocked && d.RetryAt != null),
        }).ToList();
}
