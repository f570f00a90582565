namespace Nova.Firmware.Domain.Drivers;

/// <summary>
/// What a driver read from a device: identity, firmware, storage and state. Null means "the device
/// did not say", never "zero". <see cref="Fresh"/> is false when the protocol cannot ask and the
/// values are the device's last report.
/// </summary>
public sealed record DeviceReading(DateTimeOffset ReadAt, bool Fresh)
{
    public string? Vendor { get; init; }
    public string? Model { get; init; }
    public string? HardwareRevision { get; init; }
    public string? Soc { get; init; }
    public string? Serial { get; init; }
    public string? FirmwareVersion { get; init; }
    public string? InactiveFirmwareVersion { get; init; }
    public long? FreeBytes { get; init; }
    public long? TotalBytes { get; init; }
    /// <summary>normal, boot-loop, recovery, bricked.</summary>
    public string? BootMode { get; init; }
    public string? Led { get; init; }
    /// <summary>power-loss, brownout, watchdog, user, update.</summary>
    public string? ResetReason { get; init; }
    /// <summary>"switch-id:port" or "dc".</summary>
    public string? PowerFeed { get; init; }

    /// <summary>One line for the timeline.</summary>
    public string Summary() =>
        $"{(Fresh ? "Read from the device" : "Last reported")}: version {FirmwareVersion ?? "?"}, " +
        (FreeBytes is { } f ? $"{f} bytes free" : "free space not reported") +
        (BootMode is null ? "" : $", boot mode {BootMode}") +
        (ResetReason is null ? "" : $", reset reason {ResetReason}");
}
