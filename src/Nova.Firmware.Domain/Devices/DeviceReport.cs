namespace Nova.Firmware.Domain.Devices;

/// <summary>
/// What a device last reported about itself beyond the inventory's fields: boot mode, LED, reset
/// reason, and every raw attribute (DDI configData). Kept apart from <see cref="Device"/> because
/// devices write it, while operators write the inventory.
/// </summary>
public sealed class DeviceReport
{
    public Guid DeviceId { get; set; }
    public DateTimeOffset ReportedAt { get; set; }
    /// <summary>normal, boot-loop, recovery, bricked; null when the device does not say.</summary>
    public string? BootMode { get; set; }
    /// <summary>solid, blinking-..., off; null when the device does not report LEDs.</summary>
    public string? Led { get; set; }
    /// <summary>power-loss, brownout, watchdog, user, update; null when unknown.</summary>
    public string? ResetReason { get; set; }
    /// <summary>When the device last came back with a power-related reset reason.</summary>
    public DateTimeOffset? LastPowerEventAt { get; set; }
    /// <summary>All attributes as the device sent them, as a JSON object.</summary>
    public string AttributesJson { get; set; } = "{}";

    public static bool IsPowerReset(string? resetReason) =>
        resetReason is not null && (resetReason.Equals("power-loss", StringComparison.OrdinalIgnoreCase) || resetReason.Equals("brownout", StringComparison.OrdinalIgnoreCase));
}
