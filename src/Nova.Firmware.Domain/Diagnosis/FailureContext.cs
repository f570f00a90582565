namespace Nova.Firmware.Domain.Diagnosis;

/// <summary>
/// Everything a failed flash job saw: the device's own words and what the server observed around
/// them. Only <see cref="Details"/> is required; every other signal is optional and read when set.
/// </summary>
/// <param name="Details">Every detail line the device reported for the job, over all its feedback, in arrival order (raw: split, re-quoted, prefixed lines are fine).</param>
/// <param name="ResetReasonAfter">The reset reason the device reported after the failure, if any, in the device's words ("power-loss", "brownout", "BROWNOUT_RST", "watchdog"...).</param>
/// <param name="NeverReturned">True when the device stopped answering and never came back within the deadline.</param>
/// <param name="FellBackToPreviousVersion">True when the device came back running its previous version (A/B fallback).</param>
public sealed record FailureContext(
    IReadOnlyList<string> Details,
    string? ResetReasonAfter,
    bool NeverReturned,
    bool FellBackToPreviousVersion)
{
    /// <summary>System log lines read from the device itself (kernel, bootloader, update agent), oldest first; read like <see cref="Details"/>.</summary>
    public IReadOnlyList<string> DeviceLogs { get; init; } = [];

    /// <summary>How many times the device tried to boot after the write (1 is a normal boot; more is a boot loop). Null when not known.</summary>
    public int? BootAttempts { get; init; }

    /// <summary>The boot mode the device reported after the failure: "normal", "boot-loop", "recovery" or "bricked". Null when not known.</summary>
    public string? BootModeAfter { get; init; }

    /// <summary>True when the device fell into its recovery loader and pulled a stock image over TFTP.</summary>
    public bool PulledStockImageOverTftp { get; init; }

    /// <summary>HTTP status codes the device answered an upload or a request of the job with (e.g. 413, 415, 507).</summary>
    public IReadOnlyList<int> HttpStatuses { get; init; } = [];

    /// <summary>SOAP fault codes and subcodes the device answered with (ONVIF "ter:InvalidFirmware", "env:Receiver"...); read like <see cref="Details"/>.</summary>
    public IReadOnlyList<string> FaultCodes { get; init; } = [];

    /// <summary>Power events seen while the job ran (a PoE port dropping, a UPS on battery, a brownout the switch logged), in words.</summary>
    public IReadOnlyList<string> PowerEvents { get; init; } = [];

    /// <summary>
    /// The device fell silent while it was writing the image and never said another word: the
    /// article's "device vanishes mid-flash". Power is the likely reason, but not a certain one.
    /// </summary>
    public bool VanishedWhileWriting { get; init; }
}
