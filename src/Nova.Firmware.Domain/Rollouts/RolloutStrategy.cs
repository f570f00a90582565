namespace Nova.Firmware.Domain.Rollouts;

/// <summary>
/// How a rollout moves: a canary wave first, then waves by size or percentage; a success gate
/// each wave must pass before the next opens (and optionally an operator's approval); an error
/// threshold that pauses everything; limits on how many flash at once overall, per site and per
/// power feed; a maintenance window; retries with backoff; and whether devices that start matching
/// the target later join.
/// </summary>
public sealed class RolloutStrategy
{
    /// <summary>Devices in the first wave, picked across models and hardware revisions; 0 for none.</summary>
    public int CanaryCount { get; set; }
    /// <summary>Devices per wave after the canaries; or use <see cref="WavePercent"/>; neither means one wave.</summary>
    public int? WaveSize { get; set; }
    /// <summary>Each wave's share of the devices after the canaries, in percent.</summary>
    public int? WavePercent { get; set; }
    /// <summary>Share of a wave's devices that must succeed before the next wave opens; below it the rollout pauses.</summary>
    public int SuccessGatePercent { get; set; } = 90;
    /// <summary>Wait for an operator's approval before each wave after the first.</summary>
    public bool ApproveEachWave { get; set; }
    /// <summary>Failed devices that pause the rollout; null for no count limit.</summary>
    public int? ErrorThresholdCount { get; set; }
    /// <summary>Failed devices, as a share of those in opened waves, that pause the rollout; null for no share limit.</summary>
    public int? ErrorThresholdPercent { get; set; } = 20;
    /// <summary>Device jobs of this rollout running at once.</summary>
    public int MaxConcurrent { get; set; } = 50;
    /// <summary>Device jobs of this rollout running at once on one site; null for no site limit.</summary>
    public int? MaxConcurrentPerSite { get; set; }
    /// <summary>Keep every PoE switch within its power budget (from each model's draw while flashing); off only for lab benches.</summary>
    public bool PowerAware { get; set; } = true;
    /// <summary>Devices flashing at once on one power feed whose budget is not configured (all jobs, not only this rollout's).</summary>
    public int MaxConcurrentPerPowerFeed { get; set; } = 2;
    public MaintenanceWindow? Window { get; set; }
    public RetryPolicy Retry { get; set; } = new();
    /// <summary>Devices that start matching the target while the rollout runs join its last wave; the rollout then runs until cancelled.</summary>
    public bool JoinLateDevices { get; set; }
}
