using Nova.Firmware.Domain.Common;

namespace Nova.Firmware.Domain.Rollouts;

/// <summary>
/// What a rollout must satisfy before it is stored; each broken rule names its field's wire path.
/// Lengths match the columns, so the database never sees a value it would refuse.
/// </summary>
public static class RolloutRules
{
    public const int MaxNameLength = 200;
    public const int MaxPackages = 20;
    public const int MaxListedDevices = 100_000;
    public const int MaxFilterLength = 100;

    public static IReadOnlyList<FieldError> Check(Rollout rollout)
    {
        ArgumentNullException.ThrowIfNull(rollout);
        var errors = new List<FieldError>();
        if (string.IsNullOrWhiteSpace(rollout.Name) || rollout.Name.Length > MaxNameLength || rollout.Name.Any(char.IsControl))
        {
            errors.Add(new("name", $"A name of 1 to {MaxNameLength} characters, without control characters."));
        }
        if (rollout.PackageIds.Count is 0 or > MaxPackages || rollout.PackageIds.Distinct().Count() != rollout.PackageIds.Count)
        {
            errors.Add(new("packageIds", $"1 to {MaxPackages} distinct packages; each device gets the first one that fits it."));
        }
        CheckTarget(rollout.Target, errors);
        CheckStrategy(rollout.Strategy, errors);
        return errors;
    }

    private static void CheckTarget(RolloutTarget t, List<FieldError> errors)
    {
        if (t.IsEmpty)
        {
            errors.Add(new("target", "Select devices by deviceIds or a filter (vendor, model, hardwareRevision, site, tags, currentVersion)."));
        }
        if (t.DeviceIds.Count > MaxListedDevices)
        {
            errors.Add(new("target.deviceIds", $"At most {MaxListedDevices} listed devices; use a filter for more."));
        }
        Text(t.Vendor, "target.vendor", errors);
        Text(t.Model, "target.model", errors);
        Text(t.HardwareRevision, "target.hardwareRevision", errors);
        Text(t.Site, "target.site", errors);
        Text(t.CurrentVersion, "target.currentVersion", errors);
        if (t.Tags.Count > 20)
        {
            errors.Add(new("target.tags", "At most 20 tags."));
        }
        for (var i = 0; i < t.Tags.Count; i++)
        {
            Text(t.Tags[i], $"target.tags[{i}]", errors, required: true);
        }
    }

    private static void CheckStrategy(RolloutStrategy s, List<FieldError> errors)
    {
        Range(s.CanaryCount, 0, 10_000, "strategy.canaryCount", errors);
        if (s.WaveSize is not null && s.WavePercent is not null)
        {
            errors.Add(new("strategy.waveSize", "Give waveSize or wavePercent, not both."));
        }
        Range(s.WaveSize, 1, 1_000_000, "strategy.waveSize", errors);
        Range(s.WavePercent, 1, 100, "strategy.wavePercent", errors);
        Range(s.SuccessGatePercent, 0, 100, "strategy.successGatePercent", errors);
        Range(s.ErrorThresholdCount, 1, 1_000_000, "strategy.errorThresholdCount", errors);
        Range(s.ErrorThresholdPercent, 1, 100, "strategy.errorThresholdPercent", errors);
        Range(s.MaxConcurrent, 1, 10_000, "strategy.maxConcurrent", errors);
        Range(s.MaxConcurrentPerSite, 1, 10_000, "strategy.maxConcurrentPerSite", errors);
        Range(s.MaxConcurrentPerPowerFeed, 1, 1_000, "strategy.maxConcurrentPerPowerFeed", errors);
        if (s.Retry is null)
        {
            errors.Add(new("strategy.retry", "A retry policy is required (maxAttempts 1 for none)."));
        }
        else
        {
            Range(s.Retry.MaxAttempts, 1, 20, "strategy.retry.maxAttempts", errors);
            if (s.Retry.Backoff < TimeSpan.Zero || s.Retry.Backoff > TimeSpan.FromDays(7))
            {
                errors.Add(new("strategy.retry.backoff", "Between 0 and 7 days."));
            }
            if (s.Retry.MaxBackoff < s.Retry.Backoff || s.Retry.MaxBackoff > TimeSpan.FromDays(7))
            {
                errors.Add(new("strategy.retry.maxBackoff", "At least the backoff, at most 7 days."));
            }
        }
        if (s.Window is { } window)
        {
            foreach (var problem in window.Problems())
            {
                errors.Add(new("strategy.window", problem));
            }
        }
    }

    private static void Text(string? value, string field, List<FieldError> errors, bool required = false)
    {
        if (value is null ? required : value.Length is 0 or > MaxFilterLength || value.Any(char.IsControl))
        {
            errors.Add(new(field, $"1 to {MaxFilterLength} characters, without control characters."));
        }
    }

    private static void Range(int? value, int min, int max, string field, List<FieldError> errors)
    {
        if (value is { } v && (v < min || v > max))
        {
            errors.Add(new(field, $"Between {min} and {max}."));
        }
    }
}
