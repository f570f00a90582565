using Microsoft.Extensions.Options;

namespace Nova.Firmware.Server.Tests.Infrastructure;

/// <summary>
/// Every setting a failed start named. A value read by several sections' set-up (the DDI poll
/// interval feeds the health allowance too) fails in each, and the host then reports them together.
/// </summary>
public static class StartupFailures
{
    public static IReadOnlyList<string> Of(Exception error) =>
        (error is AggregateException all ? all.Flatten().InnerExceptions : [error])
            .OfType<OptionsValidationException>().SelectMany(e => e.Failures).ToList();
}
