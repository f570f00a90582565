using Nova.Firmware.Domain.Devices;
using Nova.Firmware.Domain.Packages;

namespace Nova.Firmware.Engine.Tests.Infrastructure;

/// <summary>Test data: an Axiom C200 rev 1.0 (CV25) on 1.0.0, healthy, seen a minute ago, with room to spare.</summary>
internal sealed class DeviceBuilder
{
    private readonly Device _device;

    public DeviceBuilder(DateTimeOffset now)
    {
        var id = Guid.NewGuid();
        _device = new Device
        {
            Id = id,
            ControllerId = "dev-" + id.ToString("N")[..8],
            Vendor = "Axiom",
            Model = "C200",
            HardwareRevision = "1.0",
            Soc = "CV25",
            Serial = "SN-" + id.ToString("N")[..6],
            Kind = DeviceKind.Camera,
            Protocol = DeviceProtocol.Ddi,
            Firmware = new FirmwareState { ActiveVersion = "1.0.0" },
            Storage = new StorageState { TotalBytes = 512L << 20, FreeBytes = 256L << 20 },
            // Seen before any job step starts, so "seen since the step started" is false until the test says otherwise.
            Health = new DeviceHealth { Status = HealthStatus.Healthy, LastSeenAt = now - TimeSpan.FromMinutes(1) },
            CreatedAt = now - TimeSpan.FromDays(1),
            UpdatedAt = now - TimeSpan.FromDays(1),
        };
    }

    public DeviceBuilder Model(string model) { _device.Model = model; return this; }
    public DeviceBuilder Protocol(DeviceProtocol protocol) { _device.Protocol = protocol; return this; }
    public DeviceBuilder FreeBytes(long? free) { _device.Storage.FreeBytes = free; return this; }
    public DeviceBuilder AbSlots(string inactiveVersion) { _device.Capabilities.AbSlots = true; _device.Firmware.InactiveVersion = inactiveVersion; return this; }
    public DeviceBuilder BootLoopRetry() { _device.Capabilities.BootLoopRetry = true; return this; }
    public DeviceBuilder RecoveryPartition() { _device.Capabilities.RecoveryPartition = true; return this; }
    public DeviceBuilder RemoteRecoveryTrigger() { _device.Capabilities.RemoteRecoveryTrigger = true; return this; }
    public DeviceBuilder SdSlot() { _device.Capabilities.SdSlot = true; return this; }
    public DeviceBuilder With(Action<Device> change) { change(_device); return this; }

    public Device Build() => _device;
}

/// <summary>Test data: package Axiom 2.0.0 for C200 and GW-200 rev 1.0 (CV25), 64 MiB.</summary>
internal static class PackageBuilder
{
    public static FirmwarePackage Build(DateTimeOffset now, string version = "2.0.0") => new()
    {
        Id = Guid.NewGuid(),
        Vendor = "Axiom",
        Version = version,
        Models = ["C200", "GW-200"],
        HardwareRevisions = ["1.0"],
        Soc = "CV25",
        Kind = PackageKind.Update,
        Format = PackageFormat.Swu,
        FileName = $"axiom-{version}.swu",
        Sha256 = new string('a', 64),
        Sha1 = new string('b', 40),
        Md5 = new string('c', 32),
        Size = 64L << 20,
        ImportedAt = now - TimeSpan.FromDays(2),
        ImportedBy = "test",
    };
}
