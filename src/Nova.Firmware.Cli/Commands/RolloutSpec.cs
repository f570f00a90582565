using System.CommandLine;

namespace Nova.Firmware.Cli.Commands;

/// <summary>The options that describe a rollout (packages, target, strategy), shared by preview and create.</summary>
public sealed class RolloutSpec
{
    public Option<Guid[]> Packages { get; } = new("--package") { Description = "Package id, in order of preference; repeat for several (each device gets the first that fits)", Required = true, AllowMultipleArgumentsPerToken = true };
    public Option<string[]> Devices { get; } = new("--device") { Description = "Device id or controllerId; repeat for several", AllowMultipleArgumentsPerToken = true };
    public Option<string?> Vendor { get; } = new("--vendor") { Description = "Target: vendor (ignoring case)" };
    public Option<string?> Model { get; } = new("--model") { Description = "Target: model (ignoring case)" };
    public Option<string?> Revision { get; } = new("--revision") { Description = "Target: hardware revision (exact)" };
    public Option<string?> Site { get; } = new("--site") { Description = "Target: site (ignoring case)" };
    public Option<string[]> Tags { get; } = new("--tag") { Description = "Target: tag every device must have; repeat for several", AllowMultipleArgumentsPerToken = true };
    public Option<string?> CurrentVersion { get; } = new("--current-version") { Description = "Target: only devices running exactly this version" };
    public Option<int?> Canaries { get; } = new("--canaries") { Description = "Devices in the first wave" };
    public Option<int?> WaveSize { get; } = new("--wave-size") { Description = "Devices per later wave" };
    public Option<int?> WavePercent { get; } = new("--wave-percent") { Description = "Each later wave's share of the devices, in percent" };
    public Option<int?> SuccessGate { get; } = new("--success-gate") { Description = "Percent of a wave that must succeed before the next opens (default 90)" };
    public Option<int?> MaxConcurrent { get; } = new("--max-concurrent") { Description = "Device jobs at once (default 50)" };
    public Option<int?> MaxAttempts { get; } = new("--max-attempts") { Description = "Jobs per device in all (default 3)" };
    public Option<TimeSpan?> RetryBackoff { get; } = new("--retry-backoff") { Description = "Wait before a device's first retry, hh:mm:ss; doubles each time (default 00:05:00)" };
    public Option<bool> ApproveEachWave { get; } = new("--approve-each-wave") { Description = "Wait for 'novafw rollouts approve' after each wave" };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Packages, Devices, Vendor, Model, Revision, Site, Tags, CurrentVersion, Canaries, WaveSize, WavePercent, SuccessGate, MaxConcurrent, MaxAttempts, RetryBackoff, ApproveEachWave })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The retry policy's fields that were given; the server's defaults fill the others.</summary>
    private Dictionary<string, object>? Retry(Invocation inv)
    {
        var retry = new Dictionary<string, object>();
        if (inv.Get(MaxAttempts) is { } attempts)
        {
            retry["maxAttempts"] = attempts;
        }
        if (inv.Get(RetryBackoff) is { } backoff)
        {
            retry["backoff"] = backoff.ToString("c", System.Globalization.CultureInfo.InvariantCulture);
        }
        return retry.Count == 0 ? null : retry;
    }

    /// <summary>The request body; the server checks the values and names any it refuses.</summary>
    public async Task<Dictionary<string, object?>> BodyAsync(Invocation inv, CancellationToken ct)
    {
        var deviceIds = new List<Guid>();
        foreach (var reference in inv.Get(Devices) ?? [])
        {
            deviceIds.Add(await DeviceRef.ResolveAsync(inv, reference, ct));
        }
        var target = new Dictionary<string, object?>
        {
            ["deviceIds"] = deviceIds, ["vendor"] = inv.Get(Vendor), ["model"] = inv.Get(Model), ["hardwareRevision"] = inv.Get(Revision),
            ["site"] = inv.Get(Site), ["tags"] = inv.Get(Tags) ?? [], ["currentVersion"] = inv.Get(CurrentVersion),
        };
        if (deviceIds.Count == 0 && target.Values.All(v => v is null or string[] { Length: 0 } or List<Guid> { Count: 0 }))
        {
            throw CliException.Invalid("Say which devices: --device, or a filter (--vendor, --model, --revision, --site, --tag, --current-version).");
        }
        var strategy = new Dictionary<string, object?>
        {
            ["canaryCount"] = inv.Get(Canaries), ["waveSize"] = inv.Get(WaveSize), ["wavePercent"] = inv.Get(WavePercent),
            ["successGatePercent"] = inv.Get(SuccessGate), ["maxConcurrent"] = inv.Get(MaxConcurrent), ["approveEachWave"] = inv.Get(ApproveEachWave),
            ["retry"] = Retry(inv),
        };
        foreach (var unset in strategy.Where(p => p.Value is null).Select(p => p.Key).ToList())
        {
            strategy.Remove(unset); // the server's defaults apply
        }
        return new Dictionary<string, object?> { ["packageIds"] = inv.Get(Packages), ["target"] = target, ["strategy"] = strategy };
    }
}
