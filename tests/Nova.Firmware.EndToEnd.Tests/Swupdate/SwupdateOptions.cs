namespace Nova.Firmware.EndToEnd.Tests.Swupdate;

/// <summary>How one SWUpdate instance in suricatta (hawkBit) mode is started.</summary>
public sealed record SwupdateOptions
{
    /// <summary>Scheme, host and port of the DDI server, e.g. <c>http://127.0.0.1:5000</c> (no tenant, no path).</summary>
    public required Uri BaseUrl { get; init; }

    public required string ControllerId { get; init; }

    /// <summary>Signer certificate that bundles must be signed with (SWUpdate's <c>-k</c>).</summary>
    public required string CertificatePath { get; init; }

    /// <summary>Parent folder; each instance gets its own TMPDIR below it (sockets, extracted sw-description).</summary>
    public required string WorkDirectory { get; init; }

    public string Tenant { get; init; } = "DEFAULT";

    /// <summary>Sent as <c>Authorization: TargetToken …</c> (<c>-k</c>).</summary>
    public string? TargetToken { get; init; }

    /// <summary>Sent as <c>Authorization: GatewayToken …</c> (<c>-g</c>).</summary>
    public string? GatewayToken { get; init; }

    public string HardwareBoard { get; init; } = "board";

    /// <summary>Only this part of <c>-H board:rev</c> is compared with the bundle's hardware-compatibility.</summary>
    public string HardwareRevision { get; init; } = "1.0";

    /// <summary>Resume attempts after an interrupted download (<c>-r</c>): total GETs = retries + 1.</summary>
    public int DownloadRetries { get; init; } = 2;

    /// <summary>Seconds between download attempts (<c>-w</c>).</summary>
    public int DownloadRetryWaitSeconds { get; init; } = 1;

    /// <summary>Poll delay until the server's <c>sleep</c> takes over (<c>-p</c>).</summary>
    public int PollDelaySeconds { get; init; } = 1;

    /// <summary>1 error … 5 trace. At 3 the final failure feedback carries the ERROR lines; at 5 they move into earlier log dumps.</summary>
    public int LogLevel { get; init; } = 3;

    /// <summary>
    /// Attributes SWUpdate sends with <c>PUT configData</c> (written to an <c>identify</c> section of a
    /// config file). Without them SWUpdate never sends configData.
    /// </summary>
    public IReadOnlyDictionary<string, string>? Identify { get; init; }
}
