using Nova.Firmware.Domain.Devices;

namespace Nova.Firmware.Domain.Jobs;

public enum VerificationOutcome
{
    Verified = 0,
    /// <summary>Not yet: the device has not shown all three signs; wait until the deadline.</summary>
    Waiting = 1,
    /// <summary>The device is back but on the old version: the new slot failed to boot.</summary>
    FellBack = 2,
}

public sealed record VerificationResult(VerificationOutcome Outcome, string Reason);

/// <summary>
/// The article's "Verify": normal boot (solid LED where reported), the intended version, and
/// healthy in NovaVMS — all observed after the device came back, never taken from a write-time report.
/// </summary>
public static class Verification
{
    public static VerificationResult Check(Device device, DeviceReport? report, string targetVersion, string? previousVersion, DateTimeOffset verifyingSince)
    {
        if (report is null || report.ReportedAt < verifyingSince)
        {
            return new(VerificationOutcome.Waiting, "Waiting for the device to report its version after the reboot.");
        }
        var active = device.Firmware.ActiveVersion;
        if (!string.Equals(active, targetVersion, StringComparison.Ordinal))
        {
            var silentFallback = device.Capabilities.AbSlots && string.Equals(device.Firmware.InactiveVersion, targetVersion, StringComparison.Ordinal);
            if (silentFallback || (previousVersion is not null && string.Equals(active, previousVersion, StringComparison.Ordinal)))
            {
                return new(VerificationOutcome.FellBack,
                    $"The device runs {active ?? "an unknown version"} instead of {targetVersion}" + (silentFallback ? $"; the new version sits in the inactive slot: the bootloader fell back." : "."));
            }
            return new(VerificationOutcome.Waiting, $"The device reports version {active ?? "(none)"}, waiting for {targetVersion}.");
        }
        if (report.BootMode is { } mode && !mode.Equals("normal", StringComparison.OrdinalIgnoreCase))
        {
            return new(VerificationOutcome.Waiting, $"Version {targetVersion} reported, but the device is in boot mode '{mode}'.");
        }
        if (report.Led is { } led && !IsSolidOk(led))
        {
            return new(VerificationOutcome.Waiting, $"Version {targetVersion} reported, but the status LED is '{led}', not solid.");
        }
        if (device.Health.Status is HealthStatus.Degraded or HealthStatus.Offline)
        {
            return new(VerificationOutcome.Waiting, $"Version {targetVersion} reported, but health is {device.Health.Status}.");
        }
        if (device.Health.LastSeenAt is not { } seen || seen < verifyingSince)
        {
            return new(VerificationOutcome.Waiting, $"Version {targetVersion} reported; waiting for the device to check in again.");
        }
        return new(VerificationOutcome.Verified, $"Back in normal mode on {targetVersion}" + (report.Led is null ? "" : " with a solid LED") + ", checking in healthy.");
    }

    /// <summary>The article's "solid LED": steady and not a fault colour ("solid", "solid-green"; not "solid-red", not blinking).</summary>
    public static bool IsSolidOk(string led) =>
        led.StartsWith("solid", StringComparison.OrdinalIgnoreCase) && !led.Contains("red", StringComparison.OrdinalIgnoreCase);
}
