namespace Nova.Firmware.Server.Endpoints.Management.Discovery;

// Wire records of the discovery API. Requests keep optional values nullable so "absent" can take
// the documented default and a wrong value is a field error, not a deserialisation failure.

/// <summary>What to probe: unicast addresses (IP or IP:port), multicast, how long, and whose credentials identify.</summary>
public sealed record OnvifProbeRequest(
    IReadOnlyList<string?>? Unicast = null,
    bool? Multicast = null,
    int? TimeoutSeconds = null,
    string? Site = null,
    bool? Identify = null);

public sealed record OnvifProbeResponse(IReadOnlyList<DiscoveredCameraWire> Devices);

/// <summary>One camera that answered: what WS-Discovery said, and what GetDeviceInformation said when asked.</summary>
public sealed record DiscoveredCameraWire(
    string EndpointReference,
    IReadOnlyList<string> XAddrs,
    ScopesWire Scopes,
    string? Manufacturer,
    string? Model,
    string? FirmwareVersion,
    string? SerialNumber,
    string? HardwareId,
    string? IdentifyError,
    Guid? AlreadyInInventory);

/// <summary>ONVIF scopes by category, percent-decoded; scopes outside onvif://www.onvif.org/ in <see cref="Other"/>.</summary>
public sealed record ScopesWire(
    IReadOnlyList<string> Names,
    IReadOnlyList<string> Hardware,
    IReadOnlyList<string> Locations,
    IReadOnlyList<string> Types,
    IReadOnlyList<string> Profiles,
    IReadOnlyList<string> Other);

/// <summary>
/// Cameras to add to the inventory, as a probe listed them. <see cref="Site"/> and <see cref="Tags"/>
/// apply to every camera that does not name its own.
/// </summary>
public sealed record OnvifImportRequest(
    IReadOnlyList<OnvifImportItem?>? Devices,
    string? Site = null,
    IReadOnlyList<string>? Tags = null);

/// <summary>
/// One camera: its device service URL (a probe's <c>xAddrs</c> entry) and, optionally, values that
/// win over what the camera says about itself (ONVIF has no hardware revision or SoC).
/// </summary>
public sealed record OnvifImportItem(
    string? XAddr,
    string? Vendor = null,
    string? Model = null,
    string? HardwareRevision = null,
    string? Soc = null,
    string? Serial = null,
    string? ControllerId = null,
    string? Name = null,
    string? Site = null,
    IReadOnlyList<string>? Tags = null);

public sealed record OnvifImportResponse(IReadOnlyList<ImportedCamera> Imported, IReadOnlyList<ExistingCamera> Existing);

public sealed record ImportedCamera(Guid DeviceId, string ControllerId, string XAddr);

/// <summary>A camera the inventory already holds; <see cref="MatchedBy"/> is <c>address</c> or <c>controllerId</c>.</summary>
public sealed record ExistingCamera(Guid DeviceId, string ControllerId, string XAddr, string MatchedBy);

/// <summary>One reason the import was refused, naming the camera by its place in the request and its address.</summary>
public sealed record DiscoveryImportError(int Index, string? XAddr, string Field, string Message);
