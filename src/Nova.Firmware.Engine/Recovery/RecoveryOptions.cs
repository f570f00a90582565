using Nova.Firmware.Domain.Recovery;

namespace Nova.Firmware.Engine.Recovery;

/// <summary>The "Nova:Recovery" section: how long each rung of the ladder waits, and each model's recovery steps.</summary>
public sealed class RecoveryOptions
{
    public const string Section = "Nova:Recovery";

    /// <summary>Power-loss: how long to wait for the boot-loop retry from the staged image (the article's 10 minutes).</summary>
    public TimeSpan SelfRecoveryWait { get; set; } = TimeSpan.FromMinutes(10);
    /// <summary>From telling the device to boot recovery to its pulling the stock image over TFTP.</summary>
    public TimeSpan RecoveryBootWait { get; set; } = TimeSpan.FromMinutes(5);
    /// <summary>From the start of the re-flash to the device back in normal boot.</summary>
    public TimeSpan ReflashWait { get; set; } = TimeSpan.FromMinutes(20);
    /// <summary>From the device answering again to normal boot, a known version and healthy.</summary>
    public TimeSpan VerifyWait { get; set; } = TimeSpan.FromMinutes(5);
    /// <summary>From asking the device to clean up to enough space measured.</summary>
    public TimeSpan CleanUpWait { get; set; } = TimeSpan.FromMinutes(5);
    /// <summary>How often a rung with no news looks at the device again.</summary>
    public TimeSpan RecheckInterval { get; set; } = TimeSpan.FromSeconds(5);
    public TimeSpan TickInterval { get; set; } = TimeSpan.FromSeconds(1);
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(60);
    public int BatchSize { get; set; } = 16;
    /// <summary>The default of each run's choice: once the device is back on another version (stock, previous), flash the intended one again.</summary>
    public bool ReattemptIntended { get; set; }
    /// <summary>The TFTP server as devices reach it ("host:port"), for re-flashes and technician steps; null when it is off.</summary>
    public string? TftpServer { get; set; }
    /// <summary>Where a technician downloads a package's file ("{id}" is replaced); relative to the server unless absolute.</summary>
    public string PackageFileUrl { get; set; } = "/api/v1/packages/{id}/content";
    /// <summary>Per-model recovery steps and waits, keyed by model name.</summary>
    public Dictionary<string, RecoveryModelProfile> Models { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public RecoveryModelProfile ProfileFor(string model) => Models.TryGetValue(model, out var p) ? p : new RecoveryModelProfile();

    public TimeSpan SelfRecoveryWaitFor(string model) => ProfileFor(model).SelfRecoveryWait ?? SelfRecoveryWait;
}
