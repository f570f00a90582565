using System.Text;
using System.Text.RegularExpressions;

namespace Nova.Firmware.Domain.Diagnosis;

/// <summary>What a rule's match says about the cause.</summary>
public enum RuleKind
{
    /// <summary>Names its cause on its own: the tool printed it where that very failure was detected.</summary>
    Specific = 0,

    /// <summary>
    /// A summary that tools print after several different failures ("Image invalid or corrupted",
    /// "Compatible SW not found", a rollback): counts only when no other cause has specific evidence.
    /// </summary>
    Fallback = 1,

    /// <summary>A failure line that names no cause ("Installation failed"): evidence of failure, never of a cause.</summary>
    Generic = 2,

    /// <summary>Known harmless noise (SWUpdate's "Cannot read stored update state." at every start): never evidence.</summary>
    Benign = 3,
}

/// <summary>Where a rule looks: at the device's words, or at the signals the server observed.</summary>
public enum RuleScope
{
    Log = 0,
    Signal = 1,
}

/// <summary>
/// One row of the rule table. <see cref="Pattern"/> is the tool's own wording with its printf
/// conversions as <c>*</c> (any text, on one line), matched case-insensitively on the normalised
/// line (quotes are spaces, whitespace collapsed) as a whole-word substring; a pattern written
/// <c>/like this/</c> is a regular expression over the normalised line instead.
/// </summary>
/// <param name="Id">Unique, stable id: "tool.what" (used in tests and the documentation).</param>
/// <param name="Tool">The tool whose wording this is ("swupdate", "linux", "signal"...).</param>
/// <param name="Pattern">Wildcard text or /regex/, see above.</param>
/// <param name="Cause">The cause a match speaks for (<see cref="FailureCause.Unknown"/> for generic and benign rules).</param>
/// <param name="Weight">How strongly one match alone points at <paramref name="Cause"/>, in [0, 1]; below 0.5 only corroborates.</param>
/// <param name="Kind">How the match counts.</param>
/// <param name="Source">Where the wording comes from: "repository path" of the printing code, or the specification.</param>
/// <param name="Scope">Log lines or server-side signals.</param>
public sealed record DiagnosisRule(string Id, string Tool, string Pattern, FailureCause Cause, double Weight, RuleKind Kind, string Source, RuleScope Scope = RuleScope.Log)
{
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(250);

    private readonly (Regex Regex, string? Literal) _compiled = Compile(Pattern);

    /// <summary>True when <paramref name="normalisedText"/> (see <see cref="LogLines.Normalise"/>) holds this rule's wording.</summary>
    public bool Matches(string normalisedText) =>
        (_compiled.Literal is not { Length: > 0 } literal || normalisedText.Contains(literal, StringComparison.Ordinal))
        && _compiled.Regex.IsMatch(normalisedText);

    /// <summary>The pattern as a regex plus its longest literal piece, checked first because most lines match no rule.</summary>
    private static (Regex Regex, string? Literal) Compile(string pattern)
    {
        if (pattern.Length > 2 && pattern[0] == '/' && pattern[^1] == '/')
        {
            return (new Regex(pattern[1..^1], RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled, MatchTimeout), null);
        }
        var pieces = LogLines.Normalise(pattern).Split('*');
        var regex = new StringBuilder();
        if (char.IsLetterOrDigit(pieces[0].FirstOrDefault()))
        {
            regex.Append(@"(?<![\p{L}\p{N}_])");
        }
        regex.Append(string.Join(".{0,200}?", pieces.Select(p => Regex.Escape(p))));
        if (char.IsLetterOrDigit(pieces[^1].LastOrDefault()))
        {
            regex.Append(@"(?![\p{L}\p{N}_])");
        }
        var literal = pieces.MaxBy(p => p.Length)!.Trim();
        return (new Regex(regex.ToString(), RegexOptions.CultureInvariant, MatchTimeout), literal);
    }
}
