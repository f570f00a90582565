namespace Nova.Firmware.Server.Endpoints.Management.Devices;

/// <summary>
/// Filters of <c>GET /api/v1/devices</c>; all optional, combined with AND. <c>sort</c> orders the
/// list by one of <see cref="DeviceSort.Keys"/>, descending with a leading <c>-</c>; the controller
/// id breaks ties, so pages never overlap or skip.
/// </summary>
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
    int? PageSize,
    string? Sort = null);
