using Nova.Firmware.Domain.Common;

namespace Nova.Firmware.Domain.Preflight;

/// <summary>A named pre-flight rule, evaluated per device before any byte is sent.</summary>
public enum PreflightCheck
{
    [WireName("space")] Space = 0,
    [WireName("compatibility")] Compatibility = 1,
    [WireName("checksum")] Checksum = 2,
    [WireName("power")] Power = 3,
    [WireName("reachability")] Reachability = 4,
    [WireName("health")] Health = 5,
}

public enum CheckOutcome
{
    [WireName("pass")] Pass = 0,
    [WireName("block")] Block = 1,
    /// <summary>The device does not tell us; said honestly rather than guessed.</summary>
    [WireName("unknown")] Unknown = 2,
    /// <summary>Not now, but it should pass by itself (never contacted yet, a recent power event): look again at the re-check time.</summary>
    [WireName("wait")] Wait = 3,
}

/// <summary>One check's verdict with a reason a person can act on.</summary>
public sealed record PreflightCheckResult(PreflightCheck Check, CheckOutcome Outcome, string Reason)
{
    /// <summary>For <see cref="CheckOutcome.Wait"/>: when the condition may have passed.</summary>
    public DateTimeOffset? RecheckAt { get; init; }
}
