namespace Nova.Firmware.Domain.Devices;

/// <summary>A device's DDI target token, stored as its SHA-256 (the device holds the secret).</summary>
public sealed class DeviceToken
{
    public Guid DeviceId { get; set; }
    public required string TokenHash { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
