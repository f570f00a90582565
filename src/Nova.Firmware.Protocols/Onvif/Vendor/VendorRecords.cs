namespace Nova.Firmware.Protocols.Onvif.Vendor;

/// <summary>
/// <c>GET status</c> of the vendor extension: identity, slots, storage, power feed, reset reason,
/// mode and LED. The words (mode, LED, reset reason) are the vendor's and kept as sent.
/// </summary>
public sealed record VendorDeviceStatus
{
    public required string Vendor { get; init; }
    public required string Model { get; init; }
    public required string HwRevision { get; init; }
    public required string Soc { get; init; }
    public required string Serial { get; init; }
    public string? FirmwareVersion { get; init; }
    public required IReadOnlyList<VendorSlot> Slots { get; init; }
    public required VendorStorageStatus Storage { get; init; }
    public required string PowerFeed { get; init; }
    public required string ResetReason { get; init; }
    public required string Mode { get; init; }
    public required string Led { get; init; }
}

/// <summary>One firmware slot: its version, whether it holds a valid image, whether it runs.</summary>
public sealed record VendorSlot
{
    public required string Name { get; init; }
    public string? Version { get; init; }
    public required bool Valid { get; init; }
    public required bool Active { get; init; }
}

/// <summary>The staging storage: capacity, free bytes and what fills it.</summary>
public sealed record VendorStorageStatus
{
    public required long TotalBytes { get; init; }
    public required long FreeBytes { get; init; }
    public required IReadOnlyList<VendorStorageItem> Items { get; init; }
}

/// <summary>A stored item (log, firmware backup, snapshot) that clean-up may delete.</summary>
public sealed record VendorStorageItem
{
    public required string Name { get; init; }
    public required string Kind { get; init; }
    public required long SizeBytes { get; init; }
}

/// <summary>What a clean-up freed, and the free space after it.</summary>
public sealed record VendorCleanupResult
{
    public required long FreedBytes { get; init; }
    public required long FreeBytes { get; init; }
}

/// <summary>Which stored items a clean-up deletes.</summary>
public enum VendorStorageKind
{
    Log = 0,
    FirmwareBackup = 1,
    Snapshot = 2,
}

/// <summary>
/// <c>GET status</c>: the status, or <see cref="NotPresent"/> when the camera answers 404 (real
/// cameras have no such API: that is a fact about the camera, not an error).
/// </summary>
public sealed record VendorStatusResult(VendorDeviceStatus? Status)
{
    public static VendorStatusResult NotPresent { get; } = new((VendorDeviceStatus?)null);

    public bool HasVendorExtension => Status is not null;
}

/// <summary>What <c>POST recovery</c> did.</summary>
public enum VendorRecoveryOutcome
{
    /// <summary>Accepted: the device reboots into its recovery partition.</summary>
    Started = 0,

    /// <summary>409: the device has no usable recovery partition.</summary>
    NoRecoveryPartition = 1,
}

/// <summary>The outcome of <c>POST recovery</c> with the device's own words.</summary>
public sealed record VendorRecoveryResult(VendorRecoveryOutcome Outcome, string Detail);
