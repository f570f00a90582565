using Nova.Firmware.Domain.Common;

namespace Nova.Firmware.Domain.Drivers;

public enum DriverOutcome
{
    /// <summary>Done; <see cref="DriverResult.Value"/> carries any answer.</summary>
    [WireName("done")] Done = 0,
    /// <summary>Issued; the result will arrive as an observation or the step's deadline will pass.</summary>
    [WireName("pending")] Pending = 1,
    /// <summary>The protocol or device cannot do this; <see cref="DriverResult.Reason"/> says why.</summary>
    [WireName("not-supported")] NotSupported = 2,
    /// <summary>The device answered and refused or failed; <see cref="DriverResult.Reason"/> gives its words.</summary>
    [WireName("failed")] Failed = 3,
    /// <summary>No answer (refused, timed out, reset): may well pass, so the engine waits and asks again.</summary>
    [WireName("unreachable")] Unreachable = 4,
    /// <summary>The device refused our credentials: nothing will work until an operator fixes them.</summary>
    [WireName("unauthorized")] Unauthorized = 5,
}

public record DriverResult(DriverOutcome Outcome, string? Reason = null, string? Value = null)
{
    public static DriverResult Done(string? value = null) => new(DriverOutcome.Done, null, value);
    public static DriverResult Pending(string reason) => new(DriverOutcome.Pending, reason);
    public static DriverResult NotSupported(string reason) => new(DriverOutcome.NotSupported, reason);
    public static DriverResult Failed(string reason) => new(DriverOutcome.Failed, reason);
    public static DriverResult Unreachable(string reason) => new(DriverOutcome.Unreachable, reason);
    public static DriverResult Unauthorized(string reason) => new(DriverOutcome.Unauthorized, reason);
}

/// <summary>A driver's answer that carries a typed reading when <see cref="DriverResult.Outcome"/> is Done.</summary>
public sealed record DriverResult<T>(DriverOutcome Outcome, string? Reason = null, T? Reading = null) where T : class
{
    public static DriverResult<T> Done(T reading) => new(DriverOutcome.Done, null, reading);
    public static DriverResult<T> Pending(string reason) => new(DriverOutcome.Pending, reason);
    public static DriverResult<T> NotSupported(string reason) => new(DriverOutcome.NotSupported, reason);
    public static DriverResult<T> Failed(string reason) => new(DriverOutcome.Failed, reason);
    public static DriverResult<T> Unreachable(string reason) => new(DriverOutcome.Unreachable, reason);
    public static DriverResult<T> Unauthorized(string reason) => new(DriverOutcome.Unauthorized, reason);
}
