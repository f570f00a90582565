using System.Globalization;
using Nova.Firmware.Domain.Common;

namespace Nova.Firmware.Domain.Diagnosis;

/// <summary>
/// Weighs the rules that fired into one verdict:
/// <list type="number">
/// <item>Per cause, the strongest rule's weight, plus 0.05 for each other rule that fired on
/// another line (at most +0.10, capped at 0.97). A cause needs one rule of weight 0.5 or more.</item>
/// <item>Fallback wording ("Image invalid or corrupted", a rollback) counts for its cause only when
/// no other cause has specific evidence of weight 0.5 or more.</item>
/// <item>Causes come in layers: a root cause (space, power, checksum, hardware) explains a failed
/// boot, and a failed boot explains a device that is not back; the deepest layer with a cause wins,
/// and evidence from the layers it explains does not count against it.</item>
/// <item>Two causes in the same layer contest each other: the winner (strongest, then hardware,
/// space, checksum, power) loses 0.6 × (runner-up − 0.3); below 0.5 the verdict is unknown.</item>
/// </list>
/// Generic failure lines ("Installation failed") never name a cause, however late they come.
/// </summary>
public static class Verdict
{
    public const double Threshold = 0.5;
    private const double MaxConfidence = 0.97;
    private const double Corroboration = 0.05;
    private const int MaxEvidence = 6;
    private const int MaxSecondaryQuote = 160;

    /// <summary>Confidence of an unknown verdict: contested or weak evidence, failure lines only, nothing at all.</summary>
    private const double UnknownWeak = 0.3, UnknownGeneric = 0.2, UnknownNothing = 0.1;

    private static readonly FailureCause[] Precedence =
        [FailureCause.WrongHardware, FailureCause.InsufficientSpace, FailureCause.ChecksumMismatch, FailureCause.PowerLoss, FailureCause.BootFailure, FailureCause.Unreachable];

    private sealed record Candidate(FailureCause Cause, double Score, IReadOnlyList<RuleHit> Hits);

    public static Diagnosis Decide(IReadOnlyList<RuleHit> hits, string? lastWords, int lineCount)
    {
        var causal = hits.Where(h => h.Rule.Kind is RuleKind.Specific or RuleKind.Fallback && h.Rule.Cause != FailureCause.Unknown).ToList();
        var specific = causal.Where(h => h.Rule.Kind == RuleKind.Specific && h.Rule.Weight >= Threshold).Select(h => h.Rule.Cause).ToHashSet();
        // Fallback wording counts for a cause only when no other cause has specific evidence.
        var candidates = causal.Where(h => h.Rule.Kind == RuleKind.Specific || !specific.Any(c => c != h.Rule.Cause))
            .GroupBy(h => h.Rule.Cause)
            .Select(Score)
            .ToList();
        var eligible = candidates.Where(c => c.Hits.Max(h => h.Rule.Weight) >= Threshold).ToList();
        var deepest = eligible.Select(c => Layer(c.Cause)).DefaultIfEmpty(0).Min();
        var layer = eligible.Where(c => Layer(c.Cause) == deepest)
            .OrderByDescending(c => c.Score).ThenBy(c => Array.IndexOf(Precedence, c.Cause))
            .ToList();
        if (layer.Count == 0)
        {
            return Unknown(hits, candidates, lastWords, lineCount, contested: null);
        }
        var winner = layer[0];
        var runnerUp = layer.Skip(1).FirstOrDefault();
        var confidence = Math.Round(winner.Score - (runnerUp is null ? 0 : 0.6 * Math.Max(0, runnerUp.Score - 0.3)), 2);
        if (confidence < Threshold)
        {
            return Unknown(hits, candidates, lastWords, lineCount, contested: layer.Take(2).ToList());
        }
        var evidence = winner.Hits.OrderByDescending(h => h.Rule.Weight).ThenBy(h => h.Position)
            .Select(h => h.Evidence).Distinct(StringComparer.Ordinal).Take(MaxEvidence).ToList();
        var explained = eligible.Where(c => Layer(c.Cause) > deepest).OrderBy(c => Layer(c.Cause)).ToList();
        return new Diagnosis(winner.Cause, confidence, evidence) { Summary = Summarise(winner, confidence, runnerUp, explained) };
    }

    private static Candidate Score(IGrouping<FailureCause, RuleHit> hits)
    {
        var top = hits.OrderByDescending(h => h.Rule.Weight).ThenBy(h => h.Position).First();
        var others = hits.Where(h => h.Rule.Id != top.Rule.Id && h.Position != top.Position).Select(h => h.Rule.Id).Distinct(StringComparer.Ordinal).Count();
        var score = Math.Min(MaxConfidence, top.Rule.Weight + (Corroboration * Math.Min(2, others)));
        return new Candidate(hits.Key, score, [.. hits]);
    }

    /// <summary>0 for root causes, 1 for a failed boot, 2 for a device that is not back.</summary>
    private static int Layer(FailureCause cause) => cause switch
    {
        FailureCause.InsufficientSpace or FailureCause.PowerLoss or FailureCause.ChecksumMismatch or FailureCause.WrongHardware => 0,
        FailureCause.BootFailure => 1,
        FailureCause.Unreachable => 2,
        FailureCause.Unknown => 3,
        _ => 3,
    };

    private static Diagnosis Unknown(IReadOnlyList<RuleHit> hits, IReadOnlyList<Candidate> candidates, string? lastWords, int lineCount, IReadOnlyList<Candidate>? contested)
    {
        var failures = hits.Where(h => h.Rule.Kind == RuleKind.Generic).Select(h => h.Evidence);
        var hints = (contested ?? candidates).OrderByDescending(c => c.Score).ToList();
        var evidence = hints.Select(c => Top(c).Evidence).Concat(failures).Distinct(StringComparer.Ordinal).Take(MaxEvidence).ToList();
        var confidence = hints.Count > 0 ? UnknownWeak : lineCount > 0 || hits.Count > 0 ? UnknownGeneric : UnknownNothing;
        var summary = contested is not null
            ? $"Contradicting evidence: {string.Join(" against ", contested.Select(Hint))}."
            : hints.Count > 0
                ? $"No cause stands out; weak hints only: {string.Join(", ", hints.Take(3).Select(Hint))}."
                : "No known failure pattern in the device's reports.";
        if (lastWords is not null)
        {
            summary += $" Last words: \"{lastWords}\"";
        }
        return new Diagnosis(FailureCause.Unknown, confidence, evidence) { Summary = summary };
    }

    private static string Summarise(Candidate winner, double confidence, Candidate? runnerUp, IReadOnlyList<Candidate> explained)
    {
        var quoted = winner.Hits.Where(h => h.Rule.Scope == RuleScope.Log).OrderByDescending(h => h.Rule.Weight).ThenBy(h => h.Position)
            .Select(h => $"\"{h.Evidence}\"").Distinct(StringComparer.Ordinal).Take(2).ToList();
        var observed = winner.Hits.Where(h => h.Rule.Scope == RuleScope.Signal).Select(h => Short(h.Evidence)).Distinct(StringComparer.Ordinal).Take(3).ToList();
        var parts = new List<string>();
        if (quoted.Count > 0)
        {
            parts.Add("the device said " + string.Join(" and ", quoted));
        }
        parts.AddRange(observed);
        var sentence = $"{Title(winner.Cause)} (confidence {confidence.ToString("0.00", CultureInfo.InvariantCulture)}): {string.Join("; ", parts)}.";
        if (explained.Count > 0)
        {
            sentence += $" That explains {string.Join(" and ", explained.Select(Hint))}.";
        }
        return runnerUp is null ? sentence : $"{sentence} Contested by {Hint(runnerUp)}.";
    }

    private static RuleHit Top(Candidate candidate) => candidate.Hits.OrderByDescending(h => h.Rule.Weight).ThenBy(h => h.Position).First();

    private static string Hint(Candidate candidate) => $"{candidate.Cause.ToWire()} (\"{Short(Top(candidate).Evidence)}\")";

    /// <summary>Secondary evidence is quoted shorter, so that a summary stays one readable sentence (and fits a timeline entry).</summary>
    private static string Short(string text) => text.Length <= MaxSecondaryQuote ? text : text[..MaxSecondaryQuote] + "…";

    private static string Title(FailureCause cause) => cause switch
    {
        FailureCause.InsufficientSpace => "Insufficient space",
        FailureCause.PowerLoss => "Power loss",
        FailureCause.ChecksumMismatch => "Checksum mismatch",
        FailureCause.WrongHardware => "Wrong hardware",
        FailureCause.Unreachable => "Unreachable",
        FailureCause.BootFailure => "Boot failure",
        FailureCause.Unknown => "Unknown",
        _ => cause.ToString(),
    };
}
