using Nova.Firmware.Domain.Common;

namespace Nova.Firmware.Domain.Preflight;

public enum PreflightDecision
{
    [WireName("proceed")] Proceed = 0,
    /// <summary>Only space is short and the device can clear space: clean up, re-measure, then decide again.</summary>
    [WireName("clean-up")] CleanUp = 1,
    [WireName("block")] Block = 2,
    /// <summary>Nothing blocks for good, but a transient condition holds the flash back until <see cref="PreflightVerdict.RecheckAt"/>.</summary>
    [WireName("wait")] Wait = 3,
}

/// <summary>The gate's answer: every check's verdict, and what to do.</summary>
public sealed record PreflightVerdict(IReadOnlyList<PreflightCheckResult> Results, PreflightDecision Decision, long BytesToFree)
{
    public PreflightCheckResult? FirstBlock => Results.FirstOrDefault(r => r.Outcome == CheckOutcome.Block);

    public PreflightCheckResult? FirstWait => Results.FirstOrDefault(r => r.Outcome == CheckOutcome.Wait);

    /// <summary>For <see cref="PreflightDecision.Wait"/>: the latest re-check time among the waiting checks (all must have passed by then).</summary>
    public DateTimeOffset? RecheckAt => Results.Where(r => r.Outcome == CheckOutcome.Wait).Max(r => r.RecheckAt);
}
