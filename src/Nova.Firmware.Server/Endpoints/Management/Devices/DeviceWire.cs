namespace Nova.Firmware.Server.Endpoints.Management.Devices;

// Wire records of the management API for devices. Enums travel as their wire names ("camera",
// "ddi", "healthy"); requests keep them as strings so a wrong value is a field error, not a
// deserialisation failure.

/// <summary>Create or replace a device. Missing optional groups mean "unknown" / "none".</summary>
public sealed record DeviceRequest(
    string? Vendor,
    string? Model,
    string? HardwareRevision,
    string? Soc,
    string? Serial,
    string? Kind,
    string? Protocol,
    string? ControllerId = null,
    string? Name = null,
    string? Site = null,
    IReadOnlyList<string>? Tags = null,
    string? Address = null,
    PowerFeedWire? PowerFeed = null,
    FirmwareWire? Firmware = null,
    StorageWire? Storage = null,
    HealthRequestWire? Health = null,
    CapabilitiesWire? Capabilities = null);

public sealed record DeviceResponse(
    Guid Id,
    string ControllerId,
    string? Name,
    string Vendor,
    string Model,
    string HardwareRevision,
    string Soc,
    string Serial,
    string Kind,
    string? Site,
    IReadOnlyList<string> Tags,
    string Protocol,
    string? Address,
    PowerFeedWire PowerFeed,
    FirmwareWire Firmware,
    StorageWire Storage,
    HealthWire Health,
    CapabilitiesWire Capabilities,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

public sealed record PowerFeedWire(string? SwitchId, int? Port);

public sealed record FirmwareWire(string? ActiveVersion, string? InactiveVersion);

public sealed record StorageWire(long? TotalBytes, long? FreeBytes);

public sealed record HealthRequestWire(string? Status, DateTimeOffset? LastSeenAt);

public sealed record HealthWire(string Status, DateTimeOffset? LastSeenAt);

public sealed record CapabilitiesWire(
    bool? AbSlots = null,
    bool? RecoveryPartition = null,
    bool? BootLoopRetry = null,
    bool? SdSlot = null,
    bool? RemoteRecoveryTrigger = null);
