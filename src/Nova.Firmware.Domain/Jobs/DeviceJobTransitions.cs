namespace Nova.Firmware.Domain.Jobs;

/// <summary>
/// The one table of allowed device job transitions. Everything that changes a job's status asks
/// it first; the store then writes the change as a compare-and-set on the expected status.
/// </summary>
public static class DeviceJobTransitions
{
    /// <summary>
    /// Where a device job ends. Listed, not derived from the table: a status added later with no
    /// way out yet must not silently become terminal (and release its device).
    /// </summary>
    public static IReadOnlyList<DeviceJobStatus> Terminal { get; } =
        [DeviceJobStatus.Succeeded, DeviceJobStatus.Failed, DeviceJobStatus.Blocked, DeviceJobStatus.Cancelled];

    private static readonly Dictionary<DeviceJobStatus, DeviceJobStatus[]> Allowed = new()
    {
        [DeviceJobStatus.Queued] = [DeviceJobStatus.Preflight, DeviceJobStatus.Failed, DeviceJobStatus.Cancelled],
        [DeviceJobStatus.Preflight] = [DeviceJobStatus.Waiting, DeviceJobStatus.CleaningUp, DeviceJobStatus.Transferring, DeviceJobStatus.Blocked, DeviceJobStatus.Failed, DeviceJobStatus.Cancelled],
        [DeviceJobStatus.Waiting] = [DeviceJobStatus.Preflight, DeviceJobStatus.Blocked, DeviceJobStatus.Failed, DeviceJobStatus.Cancelled],
        [DeviceJobStatus.CleaningUp] = [DeviceJobStatus.Preflight, DeviceJobStatus.Blocked, DeviceJobStatus.Failed, DeviceJobStatus.Cancelled],
        // A pull device may skip observable steps (it downloads and installs in one go), so later
        // steps are reachable from earlier ones; going backwards is never allowed.
        [DeviceJobStatus.Transferring] = [DeviceJobStatus.Flashing, DeviceJobStatus.Rebooting, DeviceJobStatus.Verifying, DeviceJobStatus.Failed, DeviceJobStatus.Cancelled],
        [DeviceJobStatus.Flashing] = [DeviceJobStatus.Rebooting, DeviceJobStatus.Verifying, DeviceJobStatus.Failed],
        [DeviceJobStatus.Rebooting] = [DeviceJobStatus.Verifying, DeviceJobStatus.Failed],
        [DeviceJobStatus.Verifying] = [DeviceJobStatus.Succeeded, DeviceJobStatus.Failed],
        [DeviceJobStatus.Succeeded] = [],
        [DeviceJobStatus.Failed] = [],
        [DeviceJobStatus.Blocked] = [],
        [DeviceJobStatus.Cancelled] = [],
    };

    public static bool IsAllowed(DeviceJobStatus from, DeviceJobStatus to) => Allowed[from].Contains(to);

    public static IReadOnlyList<DeviceJobStatus> From(DeviceJobStatus status) => Allowed[status];

    public static bool IsTerminal(this DeviceJobStatus status) => status switch
    {
        DeviceJobStatus.Succeeded or DeviceJobStatus.Failed or DeviceJobStatus.Blocked or DeviceJobStatus.Cancelled => true,
        DeviceJobStatus.Queued or DeviceJobStatus.Preflight or DeviceJobStatus.Waiting or DeviceJobStatus.CleaningUp or DeviceJobStatus.Transferring
            or DeviceJobStatus.Flashing or DeviceJobStatus.Rebooting or DeviceJobStatus.Verifying => false,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Unknown device job status."),
    };

    /// <summary>Once bytes may be on their way to the device, cancelling is no longer safe to honour blindly.</summary>
    public static bool IsCancellable(this DeviceJobStatus status) => IsAllowed(status, DeviceJobStatus.Cancelled);

    public static IReadOnlyList<DeviceJobStatus> Active { get; } =
        Enum.GetValues<DeviceJobStatus>().Where(s => !s.IsTerminal()).ToArray();
}
