using Nova.Firmware.Domain.Devices;
using Nova.Firmware.Domain.Packages;

namespace Nova.Firmware.Domain.Preflight;

/// <summary>Everything the gate looks at for one device and one package, gathered by the engine.</summary>
public sealed record PreflightInput(
    Device Device,
    DeviceReport? Report,
    FirmwarePackage Package,
    /// <summary>Mismatches of vendor, model, revision or SoC; empty when the package fits.</summary>
    IReadOnlyList<string> CompatibilityProblems,
    /// <summary>The package that does fit this device, when the catalog has one.</summary>
    FirmwarePackage? MatchingPackage,
    /// <summary>False when the stored blob is missing or no longer hashes to the package's SHA-256.</summary>
    bool BlobIntact,
    /// <summary>The latest power event on any device sharing this device's power feed (switch).</summary>
    DateTimeOffset? LastPowerEventOnFeed,
    /// <summary>Whether the device's driver can clear space remotely.</summary>
    bool CanCleanUp,
    DateTimeOffset Now)
{
    /// <summary>How asking the device just now went; <see cref="DeviceContact.NotAsked"/> for devices that cannot be asked (pull).</summary>
    public DeviceContact Contact { get; init; } = DeviceContact.NotAsked;
}

public enum DeviceContactOutcome
{
    /// <summary>The protocol cannot ask the device (it pulls); the last time it was seen decides.</summary>
    NotAsked = 0,
    Answered = 1,
    Unreachable = 2,
    Unauthorized = 3,
}

/// <summary>The result of reading the device's present state before the gate, with the driver's words.</summary>
public sealed record DeviceContact(DeviceContactOutcome Outcome, string? Reason = null)
{
    public static DeviceContact NotAsked { get; } = new(DeviceContactOutcome.NotAsked);
}

public sealed class PreflightOptions
{
    /// <summary>Free space required beyond the image size, as a floor in bytes.</summary>
    public long SpaceMarginBytes { get; set; } = 8 * 1024 * 1024;
    /// <summary>Free space required beyond the image size, as a fraction of the image size.</summary>
    public double SpaceMarginFraction { get; set; } = 0.05;
    /// <summary>A device or switch with a power event within this window is deferred.</summary>
    public TimeSpan PowerEventWindow { get; set; } = TimeSpan.FromHours(1);
    /// <summary>A device not seen for longer than this is unreachable.</summary>
    public TimeSpan ReachabilityWindow { get; set; } = TimeSpan.FromMinutes(5);
    /// <summary>Whether a check that cannot be answered blocks the flash (default: no, it is recorded).</summary>
    public bool BlockOnUnknown { get; set; }
    /// <summary>How soon a job held back by a device that does not answer (or was never seen) looks again.</summary>
    public TimeSpan WaitRecheckInterval { get; set; } = TimeSpan.FromSeconds(30);

    public long RequiredFreeBytes(long imageSize) => imageSize + Math.Max(SpaceMarginBytes, (long)(imageSize * SpaceMarginFraction));
}
