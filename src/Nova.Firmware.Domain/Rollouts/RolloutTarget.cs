using Nova.Firmware.Domain.Devices;

namespace Nova.Firmware.Domain.Rollouts;

/// <summary>
/// Which devices a rollout is for: explicit ids, or a filter whose every given field must match
/// (vendor, model and site ignoring case; hardware revision and current version exactly, as
/// compatibility is exact; every listed tag present). Ids and filter together mean "these ids,
/// where they also match".
/// </summary>
public sealed class RolloutTarget
{
    public List<Guid> DeviceIds { get; set; } = [];
    public string? Vendor { get; set; }
    public string? Model { get; set; }
    public string? HardwareRevision { get; set; }
    public string? Site { get; set; }
    public List<string> Tags { get; set; } = [];
    /// <summary>Only devices running exactly this version now (e.g. the one being replaced).</summary>
    public string? CurrentVersion { get; set; }

    public bool HasFilter => Vendor is not null || Model is not null || HardwareRevision is not null || Site is not null || Tags.Count > 0 || CurrentVersion is not null;

    public bool IsEmpty => DeviceIds.Count == 0 && !HasFilter;

    /// <summary>The same rule the engine's database query applies, for one device in memory.</summary>
    public bool Matches(Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        return (DeviceIds.Count == 0 || DeviceIds.Contains(device.Id))
            && Same(Vendor, device.Vendor)
            && Same(Model, device.Model)
            && (HardwareRevision is null || HardwareRevision == device.HardwareRevision)
            && Same(Site, device.Site)
            && Tags.All(device.Tags.Contains)
            && (CurrentVersion is null || CurrentVersion == device.Firmware.ActiveVersion);
    }

    private static bool Same(string? wanted, string? actual) => wanted is null || string.Equals(wanted, actual, StringComparison.OrdinalIgnoreCase);

    public override string ToString()
    {
        var parts = new List<string>();
        if (DeviceIds.Count > 0)
        {
            parts.Add($"{DeviceIds.Count} listed devices");
        }
        if (Vendor is not null) parts.Add($"vendor {Vendor}");
        if (Model is not null) parts.Add($"model {Model}");
        if (HardwareRevision is not null) parts.Add($"revision {HardwareRevision}");
        if (Site is not null) parts.Add($"site {Site}");
        if (Tags.Count > 0) parts.Add($"tags {string.Join(", ", Tags)}");
        if (CurrentVersion is not null) parts.Add($"running {CurrentVersion}");
        return parts.Count == 0 ? "no devices" : string.Join("; ", parts);
    }
}
