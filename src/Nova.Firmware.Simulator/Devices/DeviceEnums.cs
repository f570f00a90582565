using System.Text.Json.Serialization;

namespace Nova.Firmware.Simulator.Devices;

[JsonConverter(typeof(JsonStringEnumConverter<DeviceKind>))]
public enum DeviceKind
{
    [JsonStringEnumMemberName("camera")] Camera,
    [JsonStringEnumMemberName("nvr")] Nvr,
    [JsonStringEnumMemberName("gateway")] Gateway,
}

/// <summary>A/B slots with a bootloader that falls back, or one slot plus a recovery partition.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FlashLayout>))]
public enum FlashLayout
{
    [JsonStringEnumMemberName("ab")] AB,
    [JsonStringEnumMemberName("single-with-recovery")] SingleWithRecovery,
}

[JsonConverter(typeof(JsonStringEnumConverter<DeviceMode>))]
public enum DeviceMode
{
    [JsonStringEnumMemberName("off")] Off,
    [JsonStringEnumMemberName("booting")] Booting,
    [JsonStringEnumMemberName("normal")] Normal,
    [JsonStringEnumMemberName("boot-loop")] BootLoop,
    [JsonStringEnumMemberName("recovery")] Recovery,
    [JsonStringEnumMemberName("bricked")] Bricked,
}

/// <summary>What the device is busy with while it is up.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DeviceActivity>))]
public enum DeviceActivity
{
    [JsonStringEnumMemberName("idle")] Idle,
    [JsonStringEnumMemberName("downloading")] Downloading,
    [JsonStringEnumMemberName("writing")] Writing,
    [JsonStringEnumMemberName("waiting-to-retry")] WaitingToRetry,
}

[JsonConverter(typeof(JsonStringEnumConverter<ResetReason>))]
public enum ResetReason
{
    [JsonStringEnumMemberName("power-on")] PowerOn,
    [JsonStringEnumMemberName("power-loss")] PowerLoss,
    [JsonStringEnumMemberName("brownout")] Brownout,
    [JsonStringEnumMemberName("watchdog")] Watchdog,
    [JsonStringEnumMemberName("user")] User,
    [JsonStringEnumMemberName("update")] Update,
}

/// <summary>The status LED as a technician would describe it.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<LedState>))]
public enum LedState
{
    [JsonStringEnumMemberName("off")] Off,
    [JsonStringEnumMemberName("solid-green")] SolidGreen,
    [JsonStringEnumMemberName("blinking-green")] BlinkingGreen,
    [JsonStringEnumMemberName("blinking-amber")] BlinkingAmber,
    [JsonStringEnumMemberName("blinking-red")] BlinkingRed,
    [JsonStringEnumMemberName("alternating-red-green")] AlternatingRedGreen,
    [JsonStringEnumMemberName("solid-red")] SolidRed,
}

[JsonConverter(typeof(JsonStringEnumConverter<StorageItemKind>))]
public enum StorageItemKind
{
    [JsonStringEnumMemberName("log")] Log,
    [JsonStringEnumMemberName("firmware-backup")] FirmwareBackup,
    [JsonStringEnumMemberName("snapshot")] Snapshot,
}
