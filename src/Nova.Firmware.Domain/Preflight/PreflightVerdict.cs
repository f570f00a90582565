using Nova.Firmware.Domain.Common;

namespace Nova.Firmware.Domain.Preflight;

public enum PreflightDecision
{
    [WireName("proceed")] Proceed = 0,
    /// <summary>Only space is short and the device can clear space: clean up, re-measure, then decide again.</summary>
    [WireName("clean-up")] CleanUp = 1,
    [WireName("block")] Block = 2,
}

/// <summary>The gate's answer: every check's verdict, and what to do.</summary>
public sealed record PreflightVerdict(IReadOnlyList<PreflightCheckResult> Results, PreflightDecision Decision, long BytesToFree)
{
    public PreflightCheckResult? FirstBlock => Results.FirstOrDefault(r => r.Outcome == CheckOutcome.Block);
}
