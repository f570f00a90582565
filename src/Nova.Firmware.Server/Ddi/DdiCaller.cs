namespace Nova.Firmware.Server.Ddi;

/// <summary>
/// The device a DDI request was authenticated as, and when its authentication began. Set once by
/// <see cref="DdiRequestFilter"/> before any DDI handler runs; handlers read it with
/// <see cref="DdiCallerExtensions.DdiCaller"/> instead of authenticating again.
/// </summary>
public sealed record DdiCaller(DdiDevice Device, long StartedTimestamp);

/// <summary>The typed accessor over <see cref="HttpContext.Items"/>, so no handler spells the key.</summary>
public static class DdiCallerExtensions
{
    private static readonly object Key = typeof(DdiCaller);

    internal static void SetDdiCaller(this HttpContext context, DdiCaller caller) => context.Items[Key] = caller;

    /// <summary>
    /// The authenticated device. Throws outside the DDI route group: a handler that reaches here
    /// without the filter having run would otherwise serve an unauthenticated device.
    /// </summary>
    public static DdiCaller DdiCaller(this HttpContext context) =>
        context.Items.TryGetValue(Key, out var value) && value is DdiCaller caller
            ? caller
            : throw new InvalidOperationException($"No authenticated DDI device: the endpoint is not behind {nameof(DdiRequestFilter)}.");
}
