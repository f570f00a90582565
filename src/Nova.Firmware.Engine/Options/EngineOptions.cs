using Nova.Firmware.Domain.Preflight;

namespace Nova.Firmware.Engine.Options;

/// <summary>The "Nova:Engine" section: how the reconcile loops run and how long each step may take.</summary>
public sealed class EngineOptions
{
    public const string Section = "Nova:Engine";

    /// <summary>Identifies this replica in leases. Unique per process by default.</summary>
    public string ReplicaId { get; set; } = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}";
    /// <summary>How often the loop looks for due work when nothing wakes it.</summary>
    public TimeSpan TickInterval { get; set; } = TimeSpan.FromMilliseconds(500);
    /// <summary>How long a claimed job stays ours; a crashed replica's jobs are taken over after this.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);
    public int BatchSize { get; set; } = 32;
    /// <summary>How many claimed jobs one replica steps at once: camera uploads run side by side instead of one after another.</summary>
    public int MaxConcurrentSteps { get; set; } = 16;
    /// <summary>How long a job may wait for a transient pre-flight condition to pass before it is blocked.</summary>
    public TimeSpan MaxWait { get; set; } = TimeSpan.FromHours(24);
    /// <summary>How many times a push cut off before the device took the image (found idle on its old firmware) is sent again.</summary>
    public int MaxTransferAttempts { get; set; } = 3;
    /// <summary>How often a waiting step (transfer, verification) is looked at again without news.</summary>
    public TimeSpan RecheckInterval { get; set; } = TimeSpan.FromSeconds(2);
    /// <summary>
    /// How often a job waiting on a device that speaks for itself (a DDI device downloading, writing
    /// or rebooting) is looked at without news. Its every word (action fetched, download, feedback,
    /// report) makes the job due at once, so this re-check only watches the silence deadline; a short
    /// one would have hundreds of waiting jobs in a rollout take the loop's step slots from real news.
    /// </summary>
    public TimeSpan QuietRecheckInterval { get; set; } = TimeSpan.FromSeconds(30);
    public StepDeadlines Deadlines { get; set; } = new();
    /// <summary>Per-model overrides of <see cref="Deadlines"/>, keyed by model name; a step not named keeps the global value.</summary>
    public Dictionary<string, StepDeadlineOverrides> ModelDeadlines { get; set; } = new(StringComparer.OrdinalIgnoreCase);
    public PreflightOptions Preflight { get; set; } = new();

    public StepDeadlines DeadlinesFor(string model) => ModelDeadlines.TryGetValue(model, out var o)
        ? new StepDeadlines
        {
            Transfer = o.Transfer ?? Deadlines.Transfer,
            Flash = o.Flash ?? Deadlines.Flash,
            Reboot = o.Reboot ?? Deadlines.Reboot,
            Health = o.Health ?? Deadlines.Health,
            CleanUp = o.CleanUp ?? Deadlines.CleanUp,
        }
        : Deadlines;
}

/// <summary>How long each step may take before the job fails with a diagnosis.</summary>
public sealed class StepDeadlines
{
    /// <summary>From serving the action to the device having the image (download and hash check).</summary>
    public TimeSpan Transfer { get; set; } = TimeSpan.FromMinutes(30);
    /// <summary>From image on the device to written.</summary>
    public TimeSpan Flash { get; set; } = TimeSpan.FromMinutes(15);
    /// <summary>From written to the device reporting back after its reboot (includes a boot-loop retry).</summary>
    public TimeSpan Reboot { get; set; } = TimeSpan.FromMinutes(15);
    /// <summary>The article's "healthy in NovaVMS within 2 minutes", counted from the device's report.</summary>
    public TimeSpan Health { get; set; } = TimeSpan.FromMinutes(2);
    public TimeSpan CleanUp { get; set; } = TimeSpan.FromMinutes(5);
}

/// <summary>
/// A model's exceptions to <see cref="EngineOptions.Deadlines"/>. Nullable so that configuring one
/// step for a model does not silently reset its other steps to the built-in defaults.
/// </summary>
public sealed class StepDeadlineOverrides
{
    public TimeSpan? Transfer { get; set; }
    public TimeSpan? Flash { get; set; }
    public TimeSpan? Reboot { get; set; }
    public TimeSpan? Health { get; set; }
    public TimeSpan? CleanUp { get; set; }
}
