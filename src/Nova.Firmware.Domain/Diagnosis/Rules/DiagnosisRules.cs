namespace Nova.Firmware.Domain.Diagnosis;

/// <summary>
/// The rule table: every piece of wording the classifier knows, as data. Each tool's rows live in
/// their own file (<c>DiagnosisRules.Swupdate.cs</c>, ...), quoted from the code that prints them;
/// <see cref="All"/> is the one table the classifier reads, the tests check and the documentation
/// lists. Weights: 0.85 and up for a line printed exactly where the failure was detected; 0.7 to
/// 0.85 for precise wording a cause rarely hides behind; 0.5 to 0.7 for wording that usually, not
/// always, means the cause; below 0.5 a hint that only corroborates.
/// </summary>
public static partial class DiagnosisRules
{
    /// <summary>Every rule, log rules first (by tool), then the signal rules.</summary>
    public static IReadOnlyList<DiagnosisRule> All { get; } =
    [
        .. Swupdate(), .. Rauc(), .. RaucHawkbitUpdater(), .. Mender(), .. UBoot(), .. Linux(), .. OpenWrt(),
        .. Curl(), .. Http(), .. Onvif(), .. Fwupd(), .. EspIdf(), .. Generic(), .. Signals(),
    ];

    /// <summary>The log rules whose wording appears in <paramref name="normalisedText"/>.</summary>
    public static IEnumerable<DiagnosisRule> Matching(string normalisedText, RuleScope scope = RuleScope.Log) =>
        All.Where(r => r.Scope == scope && r.Matches(normalisedText));

    private static DiagnosisRule Rule(string id, string pattern, FailureCause cause, double weight, string source) =>
        new(id, ToolOf(id), pattern, cause, weight, RuleKind.Specific, source);

    private static DiagnosisRule Fallback(string id, string pattern, FailureCause cause, double weight, string source) =>
        new(id, ToolOf(id), pattern, cause, weight, RuleKind.Fallback, source);

    private static DiagnosisRule Failure(string id, string pattern, string source) =>
        new(id, ToolOf(id), pattern, FailureCause.Unknown, 0, RuleKind.Generic, source);

    private static DiagnosisRule Benign(string id, string pattern, string source) =>
        new(id, ToolOf(id), pattern, FailureCause.Unknown, 0, RuleKind.Benign, source);

    private static DiagnosisRule Signal(string id, string pattern, FailureCause cause, double weight, string source) =>
        new(id, ToolOf(id), pattern, cause, weight, RuleKind.Specific, source, RuleScope.Signal);

    private static string ToolOf(string id) => id[..id.IndexOf('.', StringComparison.Ordinal)];
}
