using Microsoft.Extensions.Options;

namespace Nova.Firmware.Engine.Rollouts;

/// <summary>Refuses settings that would make the rollout loop spin, stall or trust a nonsense power budget, at start-up.</summary>
public sealed class RolloutOptionsValidator : IValidateOptions<RolloutOptions>, IValidateOptions<PowerOptions>
{
    public ValidateOptionsResult Validate(string? name, RolloutOptions options)
    {
        var errors = new List<string>();
        if (options.TickInterval <= TimeSpan.Zero || options.RecheckInterval <= TimeSpan.Zero || options.IdleRecheckInterval <= TimeSpan.Zero || options.JoinCheckInterval <= TimeSpan.Zero)
        {
            errors.Add("Nova:Rollouts: TickInterval, RecheckInterval, IdleRecheckInterval and JoinCheckInterval must be positive.");
        }
        if (options.LeaseDuration < TimeSpan.FromSeconds(1))
        {
            errors.Add("Nova:Rollouts:LeaseDuration must be at least 1 second.");
        }
        if (options.BatchSize < 1 || options.MaxStartsPerStep < 1 || options.MaxDevices < 1)
        {
            errors.Add("Nova:Rollouts: BatchSize, MaxStartsPerStep and MaxDevices must be at least 1.");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    public ValidateOptionsResult Validate(string? name, PowerOptions options)
    {
        var errors = new List<string>();
        foreach (var (id, feed) in options.Switches)
        {
            if (feed.BudgetWatts <= 0 || feed.BudgetWatts > 100_000)
            {
                errors.Add($"Nova:Power:Switches:{id}:BudgetWatts must be between 0 and 100000 watts (exclusive of 0).");
            }
        }
        foreach (var (model, draw) in options.Models)
        {
            if (draw.IdleWatts < 0 || draw.FlashWatts <= 0 || draw.FlashWatts < draw.IdleWatts || draw.FlashWatts > 1000)
            {
                errors.Add($"Nova:Power:Models:{model}: FlashWatts must be positive, at most 1000 and at least IdleWatts (not negative).");
            }
        }
        if (options.DefaultIdleWatts < 0 || options.DefaultFlashWatts <= 0 || options.DefaultFlashWatts < options.DefaultIdleWatts)
        {
            errors.Add("Nova:Power: DefaultFlashWatts must be positive and at least DefaultIdleWatts (not negative).");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
