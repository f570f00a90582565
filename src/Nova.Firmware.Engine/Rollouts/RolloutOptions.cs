namespace Nova.Firmware.Engine.Rollouts;

/// <summary>The "Nova:Rollouts" section: how the rollout loop runs.</summary>
public sealed class RolloutOptions
{
    public const string Section = "Nova:Rollouts";

    /// <summary>How often the loop looks for due rollouts when nothing wakes it.</summary>
    public TimeSpan TickInterval { get; set; } = TimeSpan.FromSeconds(1);
    /// <summary>How long a claimed rollout stays ours; a crashed replica's rollouts are taken over after this.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);
    public int BatchSize { get; set; } = 8;
    /// <summary>How soon a running rollout looks again when something held devices back (a limit, a busy device, a retry not yet due).</summary>
    public TimeSpan RecheckInterval { get; set; } = TimeSpan.FromSeconds(5);
    /// <summary>How soon a paused rollout, or one waiting for approval, looks again (a job's end wakes it sooner).</summary>
    public TimeSpan IdleRecheckInterval { get; set; } = TimeSpan.FromMinutes(1);
    /// <summary>How often a rollout that takes late devices looks for new matching ones.</summary>
    public TimeSpan JoinCheckInterval { get; set; } = TimeSpan.FromMinutes(1);
    /// <summary>Device jobs one step of one rollout may start (the rest start at its next step).</summary>
    public int MaxStartsPerStep { get; set; } = 200;
    /// <summary>Devices a rollout may target.</summary>
    public int MaxDevices { get; set; } = 100_000;
}

/// <summary>
/// The "Nova:Power" section: what each PoE switch can supply and what each model draws, so that a
/// rollout never starts more flashes on one switch than its budget carries.
/// </summary>
public sealed class PowerOptions
{
    public const string Section = "Nova:Power";

    /// <summary>Power budget per PoE switch id (as in each device's power feed).</summary>
    public Dictionary<string, PowerFeedBudget> Switches { get; set; } = new(StringComparer.OrdinalIgnoreCase);
    /// <summary>Draw per model name; a model not listed draws the defaults.</summary>
    public Dictionary<string, ModelDraw> Models { get; set; } = new(StringComparer.OrdinalIgnoreCase);
    /// <summary>Idle draw of a model not listed (watts).</summary>
    public double DefaultIdleWatts { get; set; } = 4;
    /// <summary>Draw of a model not listed while it writes flash or boots (watts): PoE class 0's 12.95 W at the device, the most it may take.</summary>
    public double DefaultFlashWatts { get; set; } = 12.95;

    public ModelDraw DrawOf(string model) => Models.TryGetValue(model, out var draw) ? draw : new ModelDraw { IdleWatts = DefaultIdleWatts, FlashWatts = DefaultFlashWatts };

    public double? BudgetOf(string switchId) => Switches.TryGetValue(switchId, out var feed) ? feed.BudgetWatts : null;
}

public sealed class PowerFeedBudget
{
    public double BudgetWatts { get; set; }
}

/// <summary>What one model draws idle and at its peak while flashing (writing, or booting the new image).</summary>
public sealed class ModelDraw
{
    public double IdleWatts { get; set; }
    public double FlashWatts { get; set; }

    public double ExtraWhileFlashing => Math.Max(0, FlashWatts - IdleWatts);
}
