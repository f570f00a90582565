namespace Nova.Firmware.Domain.Diagnosis;

/// <summary>What the classifier knows beyond the device's own words.</summary>
public sealed record FailureContext(
    /// <summary>Every detail line the device reported for the job, over all its feedback, in arrival order.</summary>
    IReadOnlyList<string> Details,
    /// <summary>The reset reason the device reported after the failure, if any.</summary>
    string? ResetReasonAfter,
    /// <summary>True when the device stopped answering and never came back within the deadline.</summary>
    bool NeverReturned,
    /// <summary>True when the device came back running its previous version (A/B fallback).</summary>
    bool FellBackToPreviousVersion);

public sealed record Diagnosis(FailureCause Cause, string Evidence);

/// <summary>
/// Turns a failed flash into one of the article's causes, with the evidence that decided it.
/// Device wording follows SWUpdate's (PROTOCOLS.md §1); matching is by substring, case- and
/// whitespace-insensitive, because details arrive split over many feedback posts and re-quoted.
/// </summary>
public static class FailureClassifier
{
    // Ordered: the first rule whose pattern appears wins. Hardware before checksum, because a
    // bundle for the wrong board is rejected before its hashes are looked at.
    private static readonly (string Pattern, FailureCause Cause)[] Rules =
    [
        ("SW not compatible with hardware", FailureCause.WrongHardware),
        ("not compatible with", FailureCause.WrongHardware),
        ("wrong hardware", FailureCause.WrongHardware),
        ("No space left on device", FailureCause.InsufficientSpace),
        ("not enough space", FailureCause.InsufficientSpace),
        ("insufficient space", FailureCause.InsufficientSpace),
        ("HASH mismatch", FailureCause.ChecksumMismatch),
        ("Checksum does not match", FailureCause.ChecksumMismatch),
        ("Image invalid or corrupted", FailureCause.ChecksumMismatch),
        ("Hash not set for", FailureCause.ChecksumMismatch),
        ("Authentication of all signatures failed", FailureCause.ChecksumMismatch),
        // A download cut short is the article's "download was truncated or corrupted".
        ("too many failed download attempts", FailureCause.ChecksumMismatch),
        ("Error streaming", FailureCause.ChecksumMismatch),
        ("truncated", FailureCause.ChecksumMismatch),
        // SWUpdate also says this after "Hash not set", so it only decides when nothing above matched.
        ("Compatible SW not found", FailureCause.WrongHardware),
        ("power loss", FailureCause.PowerLoss),
        // Devices name the reset reason with a hyphen ("reset reason power-loss", "power lost (power-loss)").
        ("power-loss", FailureCause.PowerLoss),
        ("brownout", FailureCause.PowerLoss),
        // An install interrupted mid-write: the reset reason it names is the reboot that came after
        // (the recovery partition's "update"), but a slot write that stopped halfway is power lost during flashing.
        ("slot write incomplete", FailureCause.PowerLoss),
        ("boot failure", FailureCause.BootFailure),
        ("fell back", FailureCause.BootFailure),
        ("failed to boot", FailureCause.BootFailure),
    ];

    public static Diagnosis Classify(FailureContext context)
    {
        var normalised = context.Details.Select(Normalise).ToList();
        foreach (var (pattern, cause) in Rules)
        {
            var needle = Normalise(pattern);
            var hit = normalised.FindIndex(d => d.Contains(needle, StringComparison.OrdinalIgnoreCase));
            if (hit >= 0)
            {
                return new Diagnosis(cause, $"Device reported: \"{context.Details[hit].Trim()}\"");
            }
        }
        if (context.ResetReasonAfter is { } reason && (reason.Equals("power-loss", StringComparison.OrdinalIgnoreCase) || reason.Equals("brownout", StringComparison.OrdinalIgnoreCase)))
        {
            return new Diagnosis(FailureCause.PowerLoss, $"The device vanished mid-flash and came back with reset reason '{reason}'.");
        }
        if (context.FellBackToPreviousVersion)
        {
            return new Diagnosis(FailureCause.BootFailure, "The device came back running its previous version: the new slot did not boot and the bootloader fell back.");
        }
        if (context.NeverReturned)
        {
            return new Diagnosis(FailureCause.Unreachable, "The device stopped answering during the flash and did not return before the deadline.");
        }
        var last = context.Details.Count > 0 ? $" Last words: \"{context.Details[^1].Trim()}\"" : "";
        return new Diagnosis(FailureCause.Unknown, "No known failure pattern in the device's reports." + last);
    }

    private static string Normalise(string s)
    {
        var chars = new System.Text.StringBuilder(s.Length);
        var space = false;
        foreach (var c in s)
        {
            var isSpace = char.IsWhiteSpace(c) || c == '"' || c == '\'';
            if (isSpace)
            {
                if (!space)
                {
                    chars.Append(' ');
                }
                space = true;
                continue;
            }
            space = false;
            chars.Append(c);
        }
        return chars.ToString();
    }
}
