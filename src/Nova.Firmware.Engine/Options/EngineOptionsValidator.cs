using Microsoft.Extensions.Options;
using Nova.Firmware.Domain.Preflight;

namespace Nova.Firmware.Engine.Options;

/// <summary>
/// Checks "Nova:Engine" at start-up and lists every nonsense value at once, each with the setting's
/// full name, so a lease of 0 or a negative margin stops the server instead of wedging jobs later.
/// </summary>
public sealed class EngineOptionsValidator : IValidateOptions<EngineOptions>
{
    public ValidateOptionsResult Validate(string? name, EngineOptions options)
    {
        var failures = new List<string>();
        void Positive(TimeSpan value, string setting)
        {
            if (value <= TimeSpan.Zero)
            {
                failures.Add($"{EngineOptions.Section}:{setting} must be a positive duration (hh:mm:ss); it is {value}.");
            }
        }
        void AtLeast(long value, long minimum, string setting)
        {
            if (value < minimum)
            {
                failures.Add($"{EngineOptions.Section}:{setting} must be at least {minimum}; it is {value}.");
            }
        }
        if (string.IsNullOrWhiteSpace(options.ReplicaId) || options.ReplicaId.Length > 100)
        {
            failures.Add($"{EngineOptions.Section}:ReplicaId must be 1 to 100 characters.");
        }
        Positive(options.TickInterval, nameof(options.TickInterval));
        Positive(options.LeaseDuration, nameof(options.LeaseDuration));
        Positive(options.RecheckInterval, nameof(options.RecheckInterval));
        Positive(options.QuietRecheckInterval, nameof(options.QuietRecheckInterval));
        Positive(options.MaxWait, nameof(options.MaxWait));
        if (options.LeaseDuration > TimeSpan.Zero && options.LeaseDuration < TimeSpan.FromSeconds(3))
        {
            failures.Add($"{EngineOptions.Section}:LeaseDuration must be at least 00:00:03: it is renewed every third of itself while a push runs.");
        }
        AtLeast(options.BatchSize, 1, nameof(options.BatchSize));
        AtLeast(options.MaxConcurrentSteps, 1, nameof(options.MaxConcurrentSteps));
        AtLeast(options.MaxTransferAttempts, 1, nameof(options.MaxTransferAttempts));
        Deadlines(options.Deadlines, "Deadlines", failures);
        foreach (var (model, overrides) in options.ModelDeadlines)
        {
            foreach (var (step, value) in new (string, TimeSpan?)[]
                     {
                         ("Transfer", overrides.Transfer), ("Flash", overrides.Flash), ("Reboot", overrides.Reboot), ("Health", overrides.Health), ("CleanUp", overrides.CleanUp),
                     })
            {
                if (value is { } v && v <= TimeSpan.Zero)
                {
                    failures.Add($"{EngineOptions.Section}:ModelDeadlines:{model}:{step} must be a positive duration; it is {v}.");
                }
            }
        }
        Preflight(options.Preflight, failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Deadlines(StepDeadlines d, string prefix, List<string> failures)
    {
        foreach (var (step, value) in new (string, TimeSpan)[] { ("Transfer", d.Transfer), ("Flash", d.Flash), ("Reboot", d.Reboot), ("Health", d.Health), ("CleanUp", d.CleanUp) })
        {
            if (value <= TimeSpan.Zero)
            {
                failures.Add($"{EngineOptions.Section}:{prefix}:{step} must be a positive duration; it is {value}.");
            }
        }
    }

    private static void Preflight(PreflightOptions p, List<string> failures)
    {
        const string prefix = EngineOptions.Section + ":Preflight";
        if (p.SpaceMarginBytes < 0)
        {
            failures.Add($"{prefix}:SpaceMarginBytes must not be negative; it is {p.SpaceMarginBytes}.");
        }
        if (p.SpaceMarginFraction is < 0 or > 10 || double.IsNaN(p.SpaceMarginFraction))
        {
            failures.Add($"{prefix}:SpaceMarginFraction must be between 0 and 10 (a fraction of the image size); it is {p.SpaceMarginFraction}.");
        }
        if (p.PowerEventWindow < TimeSpan.Zero)
        {
            failures.Add($"{prefix}:PowerEventWindow must not be negative; it is {p.PowerEventWindow}.");
        }
        if (p.ReachabilityWindow <= TimeSpan.Zero)
        {
            failures.Add($"{prefix}:ReachabilityWindow must be a positive duration; it is {p.ReachabilityWindow}.");
        }
        if (p.WaitRecheckInterval <= TimeSpan.Zero)
        {
            failures.Add($"{prefix}:WaitRecheckInterval must be a positive duration; it is {p.WaitRecheckInterval}.");
        }
    }
}
