using Nova.Firmware.Server.Endpoints.Management.Devices;

namespace Nova.Firmware.Server.Tests.Devices;

/// <summary>A valid device request with a unique serial; tests change only what they are about.</summary>
public static class DeviceRequestBuilder
{
    public static DeviceRequest Camera(string? site = null, params string[] tags) => new(
        Vendor: "Axiom",
        Model: "AX-500",
        HardwareRevision: "B2",
        Soc: "ambarella-cv25",
        Serial: "SN-" + Guid.NewGuid().ToString("N")[..12],
        Kind: "camera",
        Protocol: "ddi",
        Site: site,
        Tags: tags,
        Address: "http://10.0.0.5/onvif/device_service",
        PowerFeed: new PowerFeedWire("poe-sw-1", 7),
        Firmware: new FirmwareWire("4.2.1", "4.1.0"),
        Storage: new StorageWire(512L * 1024 * 1024, 200L * 1024 * 1024),
        Health: new HealthRequestWire("healthy", null),
        Capabilities: new CapabilitiesWire(AbSlots: true, RecoveryPartition: true, BootLoopRetry: false, SdSlot: true, RemoteRecoveryTrigger: false));

    /// <summary>A site name no other test uses.</summary>
    public static string UniqueSite() => "site-" + Guid.NewGuid().ToString("N")[..10];
}
