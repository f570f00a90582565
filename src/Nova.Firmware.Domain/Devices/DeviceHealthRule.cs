namespace Nova.Firmware.Domain.Devices;

/// <summary>
/// A device's health in the inventory. Never heard from: unknown. Silent for longer than its
/// allowance: offline (whatever it said last is stale). Heard from, in recovery, boot-looping or any
/// boot mode other than normal: degraded. Otherwise healthy. Silence is counted only from when the
/// server began listening: while it was down it could not hear anyone.
/// </summary>
public static class DeviceHealthRule
{
    public const string NormalBootMode = "normal";

    public static HealthStatus Evaluate(DateTimeOffset? lastSeenAt, string? bootMode, TimeSpan allowance, DateTimeOffset now, DateTimeOffset listeningSince)
    {
        if (lastSeenAt is not { } seen)
        {
            return HealthStatus.Unknown;
        }
        if (SilentBefore(allowance, now, listeningSince) is { } cutoff && seen < cutoff)
        {
            return HealthStatus.Offline;
        }
        return FromBootMode(bootMode);
    }

    /// <summary>The health of a device that was just heard from.</summary>
    public static HealthStatus FromBootMode(string? bootMode) =>
        IsNormalBootMode(bootMode) ? HealthStatus.Healthy : HealthStatus.Degraded;

    /// <summary>A device that does not report its boot mode is taken to boot normally.</summary>
    public static bool IsNormalBootMode(string? bootMode) =>
        bootMode is null || bootMode.Equals(NormalBootMode, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Devices last seen before this instant are offline; null while the server has not listened for
    /// a whole allowance yet, when nobody can be called silent. Lets a store mark them all in one statement.
    /// </summary>
    public static DateTimeOffset? SilentBefore(TimeSpan allowance, DateTimeOffset now, DateTimeOffset listeningSince)
    {
        var cutoff = now - allowance;
        return listeningSince > cutoff ? null : cutoff;
    }
}
