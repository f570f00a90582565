namespace Nova.Firmware.Domain.Recovery;

/// <summary>
/// What the ladder and a technician need to know of one model (the vendor manual's recovery page).
/// Unset fields fall back to the seed article's general advice.
/// </summary>
public sealed class RecoveryModelProfile
{
    /// <summary>How long to wait for the boot-loop retry from the staged image (article: 10 minutes).</summary>
    public TimeSpan? SelfRecoveryWait { get; set; }
    /// <summary>The button sequence that boots the recovery partition or flashes from SD.</summary>
    public string? RecoveryButton { get; set; }
    /// <summary>The LED state while the device flashes from SD or recovery.</summary>
    public string? LedWhileFlashing { get; set; }
    /// <summary>The LED state that means the flash is done and the card can be removed.</summary>
    public string? LedWhenDone { get; set; }
    /// <summary>What to photograph for the RMA.</summary>
    public List<string> Photos { get; set; } = [];

    public const string DefaultRecoveryButton = "Hold the reset button while powering the device on, for 10 seconds";
    public const string DefaultLedWhenDone = "solid";
    public static readonly IReadOnlyList<string> DefaultPhotos = ["the hardware revision sticker", "the status LEDs"];
}
