using Nova.Firmware.Domain.Diagnosis;
using static Nova.Firmware.Domain.Diagnosis.FailureCause;

namespace Nova.Firmware.Domain.Tests.Diagnosis;

/// <summary>A failed job described by what the server observed around it, and the verdict it must get.</summary>
public sealed record SignalSample(string Name, FailureContext Context, FailureCause Expected)
{
    public override string ToString() => Name;
}

/// <summary>The non-log signals: reset reason, fallback, boot loops, recovery, silence, HTTP answers, SOAP faults.</summary>
public static class SignalSamples
{
    private static FailureContext Context(string? resetReason = null, bool neverReturned = false, bool fellBack = false, string[]? details = null) =>
        new(details ?? [], resetReason, neverReturned, fellBack);

    public static IReadOnlyList<SignalSample> All { get; } =
    [
        new("brownout reset reason", Context("brownout", details: ["Update Failed."]), PowerLoss),
        new("ESP brownout reset reason", Context("ESP_RST_BROWNOUT"), PowerLoss),
        new("under-voltage reset reason", Context("under-voltage"), PowerLoss),
        new("power-loss reset reason", Context("power-loss"), PowerLoss),
        new("power event during the write", Context() with { PowerEvents = ["PoE port 12 dropped power for 3 s"] }, PowerLoss),
        new("A/B power cut: back on the old slot with reset reason power-loss", Context("power-loss", fellBack: true, details: ["Update Installed."]), PowerLoss),
        new("single slot power cut: reset reason power-loss, then a boot loop",
            Context("power-loss") with { BootModeAfter = "boot-loop", BootAttempts = 6 }, PowerLoss),
        new("power event, then recovery over TFTP", Context() with { PowerEvents = ["UPS on battery"], PulledStockImageOverTftp = true }, PowerLoss),
        new("fell back to the previous version", Context(fellBack: true, details: ["Update Installed."]), BootFailure),
        new("boot loop reported", Context() with { BootModeAfter = "boot-loop" }, BootFailure),
        new("booted four times", Context() with { BootAttempts = 4 }, BootFailure),
        new("back in recovery mode", Context() with { BootModeAfter = "recovery" }, BootFailure),
        new("bricked", Context() with { BootModeAfter = "bricked" }, BootFailure),
        new("pulled the stock image over TFTP", Context() with { PulledStockImageOverTftp = true }, BootFailure),
        new("watchdog reset and a boot loop", Context("watchdog") with { BootModeAfter = "boot-loop" }, BootFailure),
        new("power-on reset and a boot loop: power-on is every cold start", Context("power-on") with { BootAttempts = 3 }, BootFailure),
        new("never returned", Context(neverReturned: true, details: ["All Chunks Installed."]), Unreachable),
        new("vanished while writing, never returned", Context(neverReturned: true, details: ["Installing Update Chunk Artifacts."]) with { VanishedWhileWriting = true }, PowerLoss),
        new("never returned, but it was a boot loop", Context(neverReturned: true) with { BootModeAfter = "boot-loop" }, BootFailure),
        new("upload answered 413", Context() with { HttpStatuses = [413] }, InsufficientSpace),
        new("upload answered 507", Context() with { HttpStatuses = [507] }, InsufficientSpace),
        new("upload answered 415", Context() with { HttpStatuses = [415] }, ChecksumMismatch),
        new("upload answered 415 for an image of another SoC", Context(details: ["SW not compatible with hardware"]) with { HttpStatuses = [415] }, WrongHardware),
        new("SOAP fault InvalidFirmware", Context() with { FaultCodes = ["env:Sender", "ter:InvalidArgs", "ter:InvalidFirmware"] }, WrongHardware),
        new("device log shows under-voltage", Context(details: ["Update Failed."]) with { DeviceLogs = ["[  931.2] Under-voltage detected! (0x00050005)"] }, PowerLoss),
        new("healthy device that does not report its version", Context(details: ["Update Installed."]) with { BootModeAfter = "normal", BootAttempts = 1 }, Unknown),
        new("watchdog reset alone", Context("watchdog"), Unknown),
        new("power-on reset alone", Context("power-on"), Unknown),
        new("nothing at all", Context(), Unknown),
    ];
}
