namespace Nova.Firmware.Domain.Devices;

/// <summary>A device in the inventory, with what it last told us about itself.</summary>
public sealed class Device
{
    public Guid Id { get; set; }
    /// <summary>The device's identity on its protocol: the DDI controllerId, or the ONVIF device path.</summary>
    public required string ControllerId { get; set; }
    public string? Name { get; set; }
    public required string Vendor { get; set; }
    public required string Model { get; set; }
    public required string HardwareRevision { get; set; }
    public required string Soc { get; set; }
    public required string Serial { get; set; }
    public DeviceKind Kind { get; set; }
    public string? Site { get; set; }
    public List<string> Tags { get; set; } = [];
    public DeviceProtocol Protocol { get; set; }
    /// <summary>Where the server reaches a push device (ONVIF service URL); informational for DDI.</summary>
    public string? Address { get; set; }
    public PowerFeed PowerFeed { get; set; } = new();
    public FirmwareState Firmware { get; set; } = new();
    public StorageState Storage { get; set; } = new();
    public DeviceHealth Health { get; set; } = new();
    public DeviceCapabilities Capabilities { get; set; } = new();
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>The PoE switch and port (or DC supply) a device draws power from.</summary>
public sealed class PowerFeed
{
    public string? SwitchId { get; set; }
    public int? Port { get; set; }
}

public sealed class FirmwareState
{
    public string? ActiveVersion { get; set; }
    /// <summary>The other slot on A/B devices; null on single-slot devices.</summary>
    public string? InactiveVersion { get; set; }
}

public sealed class StorageState
{
    public long? TotalBytes { get; set; }
    /// <summary>Free bytes for a staging image; null until the device has reported it.</summary>
    public long? FreeBytes { get; set; }
}

public sealed class DeviceHealth
{
    public HealthStatus Status { get; set; }
    public DateTimeOffset? LastSeenAt { get; set; }
}

/// <summary>What the device can do for its own recovery; each drives a step of the recovery ladder.</summary>
public sealed class DeviceCapabilities
{
    public bool AbSlots { get; set; }
    public bool RecoveryPartition { get; set; }
    public bool BootLoopRetry { get; set; }
    public bool SdSlot { get; set; }
    public bool RemoteRecoveryTrigger { get; set; }
}
