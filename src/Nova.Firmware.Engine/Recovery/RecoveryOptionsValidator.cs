using Microsoft.Extensions.Options;

namespace Nova.Firmware.Engine.Recovery;

/// <summary>Refuses start-up on a recovery setting that would make a rung never end or spin.</summary>
public sealed class RecoveryOptionsValidator : IValidateOptions<RecoveryOptions>
{
    public ValidateOptionsResult Validate(string? name, RecoveryOptions o)
    {
        var errors = new List<string>();
        void Positive(TimeSpan value, string setting)
        {
            if (value <= TimeSpan.Zero)
            {
                errors.Add($"{RecoveryOptions.Section}:{setting} must be a positive duration (got {value}).");
            }
        }
        Positive(o.SelfRecoveryWait, nameof(o.SelfRecoveryWait));
        Positive(o.RecoveryBootWait, nameof(o.RecoveryBootWait));
        Positive(o.ReflashWait, nameof(o.ReflashWait));
        Positive(o.VerifyWait, nameof(o.VerifyWait));
        Positive(o.CleanUpWait, nameof(o.CleanUpWait));
        Positive(o.RecheckInterval, nameof(o.RecheckInterval));
        Positive(o.TickInterval, nameof(o.TickInterval));
        Positive(o.LeaseDuration, nameof(o.LeaseDuration));
        if (o.BatchSize < 1)
        {
            errors.Add($"{RecoveryOptions.Section}:{nameof(o.BatchSize)} must be at least 1 (got {o.BatchSize}).");
        }
        foreach (var (model, profile) in o.Models)
        {
            if (profile.SelfRecoveryWait is { } wait && wait <= TimeSpan.Zero)
            {
                errors.Add($"{RecoveryOptions.Section}:Models:{model}:SelfRecoveryWait must be a positive duration (got {wait}).");
            }
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
