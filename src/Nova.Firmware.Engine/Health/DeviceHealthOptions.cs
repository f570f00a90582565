using Nova.Firmware.Domain.Devices;

namespace Nova.Firmware.Engine.Health;

/// <summary>The "Nova:Engine:Health" section: when a silent device counts as offline, and how often that is checked.</summary>
public sealed class DeviceHealthOptions
{
    public const string Section = "Nova:Engine:Health";

    /// <summary>How often the sweep looks for silent devices.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The poll interval told to idle DDI devices. The host sets it from its DDI settings
    /// (Nova:Ddi:PollSleep), so the allowance follows the interval devices are really told.
    /// </summary>
    public TimeSpan DdiPollInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How many polls in a row a DDI device may miss before it is offline (a poll or two is lost to a reboot or a busy network).</summary>
    public int DdiMissedPolls { get; set; } = 3;

    /// <summary>How long an ONVIF device may go without answering a probe before it is offline.</summary>
    public TimeSpan OnvifProbeAllowance { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often push devices (cameras), which say nothing unless asked, are asked whether they are there.</summary>
    public TimeSpan ProbeInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How many push devices one probe round asks at most (the longest-silent first).</summary>
    public int ProbeBatchSize { get; set; } = 2000;

    /// <summary>How many push devices are asked at once.</summary>
    public int ProbeConcurrency { get; set; } = 32;

    public HealthAllowances Allowances => new(DdiPollInterval * DdiMissedPolls, OnvifProbeAllowance);
}
