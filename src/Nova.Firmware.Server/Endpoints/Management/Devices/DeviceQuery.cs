namespace Nova.Firmware.Server.Endpoints.Management.Devices;

/// <summary>Filters of <c>GET /api/v1/devices</c>; all optional, combined with AND.</summary>
public sealed record DeviceQuery(
    string? Model,
    string? Site,
    string? Tag,
    string? Vendor,
    string? Kind,
    string? Protocol,
    string? Health,
    string? Q,
    int? Page,
    int? PageSize);
