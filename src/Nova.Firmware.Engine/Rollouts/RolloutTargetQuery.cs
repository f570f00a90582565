using Nova.Firmware.Domain.Devices;
using Nova.Firmware.Domain.Rollouts;

namespace Nova.Firmware.Engine.Rollouts;

/// <summary>A rollout's target as a database query: the same rule as <see cref="RolloutTarget.Matches"/>.</summary>
public static class RolloutTargetQuery
{
    public static IQueryable<Device> Matching(this IQueryable<Device> devices, RolloutTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (target.DeviceIds.Count > 0)
        {
            var ids = target.DeviceIds;
            devices = devices.Where(d => ids.Contains(d.Id));
        }
        if (target.Vendor is { } vendor)
        {
            var v = vendor.ToLowerInvariant();
            devices = devices.Where(d => d.Vendor.ToLower() == v);
        }
        if (target.Model is { } model)
        {
            var m = model.ToLowerInvariant();
            devices = devices.Where(d => d.Model.ToLower() == m);
        }
        if (target.HardwareRevision is { } revision)
        {
            devices = devices.Where(d => d.HardwareRevision == revision);
        }
        if (target.Site is { } site)
        {
            var s = site.ToLowerInvariant();
            devices = devices.Where(d => d.Site != null && d.Site.ToLower() == s);
        }
        foreach (var tag in target.Tags)
        {
            devices = devices.Where(d => d.Tags.Contains(tag));
        }
        if (target.CurrentVersion is { } version)
        {
            devices = devices.Where(d => d.Firmware.ActiveVersion == version);
        }
        return devices;
    }
}
