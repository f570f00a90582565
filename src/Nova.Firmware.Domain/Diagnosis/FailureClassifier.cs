using System.Globalization;

namespace Nova.Firmware.Domain.Diagnosis;

/// <summary>One rule that fired: the line(s) it fired on, as the device wrote them, or the signal's description.</summary>
/// <param name="Rule">The rule.</param>
/// <param name="Evidence">The matched line (two lines joined when a sentence was split over them), or the signal in words.</param>
/// <param name="Position">Where it was seen: the index of its first line; signals come after every line.</param>
public sealed record RuleHit(DiagnosisRule Rule, string Evidence, int Position);

/// <summary>
/// Turns everything a failed flash job saw into one of the article's causes, with a confidence and
/// the decisive evidence. The wording it knows is data (<see cref="DiagnosisRules.All"/>); the
/// signals the server observed (reset reason, fallback, boot loop, silence, HTTP answers) are turned
/// into lines of their own and matched by the same table. How the matches are weighed:
/// <see cref="Verdict"/>; how raw logs are cleaned: <see cref="LogLines"/>.
/// </summary>
public static class FailureClassifier
{
    public static Diagnosis Classify(FailureContext context)
    {
        var (lines, lastWords) = Lines(context);
        return Verdict.Decide(Explain(lines, SignalLines(context)), lastWords, lines.Count);
    }

    /// <summary>A pasted log: the lines alone, no signals.</summary>
    public static Diagnosis ClassifyLines(IReadOnlyList<string> lines) =>
        Classify(new FailureContext(lines, ResetReasonAfter: null, NeverReturned: false, FellBackToPreviousVersion: false));

    /// <summary>Every rule that fires on <paramref name="context"/>, in the order of the evidence.</summary>
    public static IReadOnlyList<RuleHit> Explain(FailureContext context) => Explain(Lines(context).Lines, SignalLines(context));

    /// <summary>The device's words (its details, then its own logs and faults), and its last detail line: the "last words" of an unknown verdict.</summary>
    private static (List<LogLine> Lines, string? LastWords) Lines(FailureContext context)
    {
        var details = LogLines.Read(context.Details);
        var lines = details.Concat(LogLines.Read([.. context.DeviceLogs, .. context.FaultCodes])).ToList();
        return (lines, (details.Count > 0 ? details : lines).LastOrDefault()?.Display);
    }

    private static List<RuleHit> Explain(IReadOnlyList<LogLine> lines, IReadOnlyList<LogLine> signals)
    {
        var hits = new List<RuleHit>();
        var matched = new HashSet<string>[lines.Count];
        for (var i = 0; i < lines.Count; i++)
        {
            matched[i] = [];
            foreach (var rule in DiagnosisRules.Matching(lines[i].Text))
            {
                matched[i].Add(rule.Id);
                hits.Add(new RuleHit(rule, lines[i].Display, i));
            }
        }
        // A sentence broken over two posts or lines: try each pair joined, with and without a space,
        // for the rules neither line matches alone.
        for (var i = 0; i + 1 < lines.Count; i++)
        {
            var spaced = lines[i].Text + " " + lines[i + 1].Text;
            var tight = lines[i].Text + lines[i + 1].Text;
            foreach (var rule in DiagnosisRules.All)
            {
                if (rule.Scope == RuleScope.Log && !matched[i].Contains(rule.Id) && !matched[i + 1].Contains(rule.Id)
                    && (rule.Matches(spaced) || rule.Matches(tight)))
                {
                    hits.Add(new RuleHit(rule, lines[i].Display + " " + lines[i + 1].Display, i));
                }
            }
        }
        for (var s = 0; s < signals.Count; s++)
        {
            hits.AddRange(DiagnosisRules.Matching(signals[s].Text, RuleScope.Signal).Select(rule => new RuleHit(rule, signals[s].Display, lines.Count + s)));
        }
        return [.. hits.OrderBy(h => h.Position)];
    }

    /// <summary>The context's signals as lines: <see cref="LogLine.Text"/> for the signal rules, <see cref="LogLine.Display"/> for people.</summary>
    private static List<LogLine> SignalLines(FailureContext context)
    {
        var signals = new List<LogLine>();
        void Add(string text, string display) => signals.Add(new LogLine(display, LogLines.Normalise(text)));

        if (context.ResetReasonAfter is { } reason && !string.IsNullOrWhiteSpace(reason))
        {
            Add("reset-reason " + reason, $"the device came back with reset reason '{Cap(reason)}'");
        }
        foreach (var power in context.PowerEvents.Where(p => !string.IsNullOrWhiteSpace(p)))
        {
            Add("power-event " + power, $"a power event was recorded while the job ran: {Cap(power)}");
        }
        if (context.FellBackToPreviousVersion)
        {
            Add("fell-back-to-previous-version", "the device came back running its previous version: the new slot did not boot and the bootloader fell back");
        }
        if (context.BootAttempts is { } attempts)
        {
            Add("boot-attempts " + attempts.ToString(CultureInfo.InvariantCulture), $"the device tried to boot {attempts} times");
        }
        if (context.BootModeAfter is { } mode && !string.IsNullOrWhiteSpace(mode))
        {
            Add("boot-mode " + mode, $"the device came back in boot mode '{Cap(mode)}'");
        }
        if (context.PulledStockImageOverTftp)
        {
            Add("pulled-stock-image-over-tftp", "the device fell into its recovery loader and pulled the stock image over TFTP");
        }
        if (context.VanishedWhileWriting)
        {
            Add("vanished-while-writing", "the device fell silent while writing the image and never spoke again");
        }
        if (context.NeverReturned)
        {
            Add("never-returned", "the device stopped answering during the flash and did not return before the deadline");
        }
        foreach (var status in context.HttpStatuses.Distinct())
        {
            Add("http-status " + status.ToString(CultureInfo.InvariantCulture), $"the device answered HTTP {status}");
        }
        return signals;
    }

    private static string Cap(string value) => value.Trim() is { Length: > 120 } text ? text[..120] + "…" : value.Trim();
}
