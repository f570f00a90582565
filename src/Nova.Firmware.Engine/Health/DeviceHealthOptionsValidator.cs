using Microsoft.Extensions.Options;

namespace Nova.Firmware.Engine.Health;

/// <summary>Checks the health settings at start and names every wrong one at once.</summary>
public sealed class DeviceHealthOptionsValidator : IValidateOptions<DeviceHealthOptions>
{
    public const int MinMissedPolls = 2;

    public ValidateOptionsResult Validate(string? name, DeviceHealthOptions options)
    {
        var failures = new List<string>();
        var section = DeviceHealthOptions.Section;
        if (options.SweepInterval <= TimeSpan.Zero)
        {
            failures.Add($"{section}:SweepInterval must be positive (was {options.SweepInterval}).");
        }
        if (options.DdiPollInterval <= TimeSpan.Zero)
        {
            failures.Add($"The DDI poll interval (Nova:Ddi:PollSleep) must be positive (was {options.DdiPollInterval}).");
        }
        // One missed poll is normal (a reboot, a slow answer); calling that offline would make devices flap.
        if (options.DdiMissedPolls < MinMissedPolls)
        {
            failures.Add($"{section}:DdiMissedPolls must be at least {MinMissedPolls} (was {options.DdiMissedPolls}).");
        }
        if (options.OnvifProbeAllowance <= TimeSpan.Zero)
        {
            failures.Add($"{section}:OnvifProbeAllowance must be positive (was {options.OnvifProbeAllowance}).");
        }
        if (options.ProbeInterval <= TimeSpan.Zero)
        {
            failures.Add($"{section}:ProbeInterval must be positive (was {options.ProbeInterval}).");
        }
        else if (options.OnvifProbeAllowance > TimeSpan.Zero && options.ProbeInterval >= options.OnvifProbeAllowance)
        {
            failures.Add($"{section}:ProbeInterval ({options.ProbeInterval}) must be shorter than {section}:OnvifProbeAllowance ({options.OnvifProbeAllowance}), or answering cameras would be marked offline.");
        }
        if (options.ProbeBatchSize < 1)
        {
            failures.Add($"{section}:ProbeBatchSize must be at least 1 (was {options.ProbeBatchSize}).");
        }
        if (options.ProbeConcurrency < 1)
        {
            failures.Add($"{section}:ProbeConcurrency must be at least 1 (was {options.ProbeConcurrency}).");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
