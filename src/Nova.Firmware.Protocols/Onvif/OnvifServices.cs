namespace Nova.Firmware.Protocols.Onvif;

/// <summary>One entry of GetServices: a service namespace, its address and version.</summary>
public sealed record OnvifService(string Namespace, Uri XAddr, string? Version);

/// <summary>
/// GetCapabilities' answer: the address of each capability category (Device, Media, Events, ...,
/// and those under Extension), and whether the Device/System capabilities claim firmware upgrade.
/// </summary>
public sealed record OnvifCapabilities(IReadOnlyDictionary<string, Uri> XAddrs, bool? FirmwareUpgrade);

/// <summary>Where a camera's service addresses were learnt from.</summary>
public enum OnvifServiceSource
{
    GetServices = 0,
    GetCapabilities = 1,

    /// <summary>The camera answered ActionNotSupported to both: only the device service is known.</summary>
    None = 2,
}

/// <summary>
/// Service addresses by namespace (e.g. <c>http://www.onvif.org/ver10/device/wsdl</c>), from
/// GetServices, or from GetCapabilities on cameras too old for GetServices.
/// </summary>
public sealed record OnvifServiceAddresses(OnvifServiceSource Source, IReadOnlyDictionary<string, Uri> ByNamespace, bool? FirmwareUpgrade);
