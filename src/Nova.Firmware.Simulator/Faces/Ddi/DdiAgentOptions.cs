namespace Nova.Firmware.Simulator.Faces.Ddi;

/// <summary>Where the simulated SWUpdate agents poll, and how stubborn their downloads are.</summary>
public sealed class DdiAgentOptions
{
    /// <summary>hawkBit-compatible server root, e.g. http://127.0.0.1:5000 (null: gateways do not poll).</summary>
    public Uri? ServerUrl { get; set; }
    public string Tenant { get; set; } = "DEFAULT";
    /// <summary>SWUpdate's <c>-r</c>: download attempts before "too many failed download attempts".</summary>
    public int MaxDownloadAttempts { get; set; } = 3;
    /// <summary>SWUpdate's <c>-w</c>: simulated seconds between download attempts.</summary>
    public double RetryWaitSeconds { get; set; } = 5;
    /// <summary>Sleep used when the server cannot be reached.</summary>
    public double UnreachableSleepSeconds { get; set; } = 60;
}
