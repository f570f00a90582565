namespace Nova.Firmware.Simulator.Devices;

/// <summary>What is really inside a device, for tests to assert (not what any server believes).</summary>
public sealed record DeviceTruth(
    string Id,
    DeviceKind Kind,
    string Vendor,
    string Model,
    string HwRevision,
    string Soc,
    string Serial,
    DeviceMode Mode,
    DeviceActivity Activity,
    LedState Led,
    ResetReason ResetReason,
    bool Healthy,
    string? RunningVersion,
    string? BootSlot,
    int BootCount,
    int BootLimit,
    bool UpgradeAvailable,
    bool FellBack,
    int FlashCount,
    int BootAttempts,
    IReadOnlyList<SlotTruth> Slots,
    SlotTruth? RecoveryPartition,
    StorageTruth Storage,
    string PowerFeed,
    bool SdCardInserted,
    IReadOnlyList<string> ArmedFaults,
    IReadOnlyList<string> SystemLog,
    IReadOnlyList<string> PreFlashLog);

public sealed record SlotTruth(string Name, string? Version, string? Sha256, bool Valid, double WrittenPercent, bool Active);

public sealed record StorageTruth(long CapacityBytes, long FreeBytes, long StagedBytes, IReadOnlyList<StorageItem> Items);
