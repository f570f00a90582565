using System.Net;
using System.Xml.Linq;

namespace Nova.Firmware.Protocols.Onvif.Discovery;

/// <summary>
/// One device that answered a Probe: its stable endpoint reference (usually <c>urn:uuid:…</c>),
/// device service addresses, raw and parsed scopes, types, and who sent the answer.
/// </summary>
public sealed record DiscoveredDevice(
    string EndpointReference, IReadOnlyList<Uri> XAddrs, IReadOnlyList<string> Scopes, IReadOnlyList<XName> Types,
    uint? MetadataVersion, IPEndPoint RespondedFrom)
{
    /// <summary>The scopes by category (name, hardware, location, ...), parsed on each read.</summary>
    public OnvifScopes ParsedScopes => OnvifScopes.Parse(Scopes);

    /// <summary>True when the device says it is an ONVIF NetworkVideoTransmitter (a camera or encoder).</summary>
    public bool IsNetworkVideoTransmitter => Types.Contains(XName.Get("NetworkVideoTransmitter", OnvifNamespaces.Network));
}
