using Nova.Firmware.Domain.Devices;

namespace Nova.Firmware.Server.Endpoints.Management.Devices;

/// <summary>The orders the device list offers (<c>?sort=model</c>, <c>?sort=-lastSeen</c>).</summary>
public static class DeviceSort
{
    public static readonly IReadOnlyList<string> Keys = ["controllerId", "name", "model", "site", "health", "lastSeen", "version"];

    /// <summary>The list in the asked order, then by controller id (unique, so the order is total); null with an error for an unknown key.</summary>
    public static IOrderedQueryable<Device>? Apply(IQueryable<Device> devices, string? sort, Dictionary<string, string[]> errors)
    {
        var descending = sort is { Length: > 0 } && sort[0] == '-';
        var key = descending ? sort![1..] : sort;
        IOrderedQueryable<Device>? ordered = key switch
        {
            null or "" or "controllerId" => descending ? devices.OrderByDescending(d => d.ControllerId) : devices.OrderBy(d => d.ControllerId),
            "name" => descending ? devices.OrderByDescending(d => d.Name) : devices.OrderBy(d => d.Name),
            "model" => descending ? devices.OrderByDescending(d => d.Model) : devices.OrderBy(d => d.Model),
            "site" => descending ? devices.OrderByDescending(d => d.Site) : devices.OrderBy(d => d.Site),
            "health" => descending ? devices.OrderByDescending(d => d.Health.Status) : devices.OrderBy(d => d.Health.Status),
            "lastSeen" => descending ? devices.OrderByDescending(d => d.Health.LastSeenAt) : devices.OrderBy(d => d.Health.LastSeenAt),
            "version" => descending ? devices.OrderByDescending(d => d.Firmware.ActiveVersion) : devices.OrderBy(d => d.Firmware.ActiveVersion),
            _ => null,
        };
        if (ordered is null)
        {
            errors["sort"] = [$"'{sort}' is not a sort order; use one of: {string.Join(", ", Keys)}, each optionally with a leading '-' for descending."];
            return null;
        }
        return key is null or "" or "controllerId" ? ordered : ordered.ThenBy(d => d.ControllerId);
    }
}
