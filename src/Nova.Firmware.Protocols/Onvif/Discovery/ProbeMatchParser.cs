using System.Globalization;
using System.Net;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace Nova.Firmware.Protocols.Onvif.Discovery;

/// <summary>
/// Builds a WS-Discovery Probe and reads ProbeMatches defensively: no DTDs, a size cap, the 2005/04
/// and 2009 namespaces, XAddrs that are not http(s) URLs dropped, anything else is "not a match".
/// </summary>
internal static class ProbeMatchParser
{
    private static readonly XNamespace Soap = OnvifNamespaces.Soap12;
    private static readonly XNamespace Wsa = OnvifNamespaces.Addressing;
    private static readonly XNamespace Wsd = OnvifNamespaces.Discovery;

    public static byte[] Probe(string messageId) => Encoding.UTF8.GetBytes(new XDocument(
        new XElement(Soap + "Envelope",
            new XAttribute(XNamespace.Xmlns + "s", Soap.NamespaceName),
            new XAttribute(XNamespace.Xmlns + "a", Wsa.NamespaceName),
            new XAttribute(XNamespace.Xmlns + "d", Wsd.NamespaceName),
            new XAttribute(XNamespace.Xmlns + "dn", OnvifNamespaces.Network),
            new XElement(Soap + "Header",
                new XElement(Wsa + "MessageID", messageId),
                new XElement(Wsa + "To", "urn:schemas-xmlsoap-org:ws:2005:04:discovery"),
                new XElement(Wsa + "Action", "http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe")),
            new XElement(Soap + "Body",
                new XElement(Wsd + "Probe", new XElement(Wsd + "Types", "dn:NetworkVideoTransmitter"))))).ToString(SaveOptions.DisableFormatting));

    /// <summary>The matches in a datagram that answers <paramref name="messageId"/>; a reason when it is not one.</summary>
    public static IReadOnlyList<DiscoveredDevice> Parse(ReadOnlySpan<byte> datagram, string messageId, IPEndPoint from, out string? ignoredBecause)
    {
        ignoredBecause = null;
        XDocument document;
        try
        {
            var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, MaxCharactersInDocument = 256 * 1024 };
            using var reader = XmlReader.Create(new MemoryStream(datagram.ToArray(), writable: false), settings);
            document = XDocument.Load(reader);
        }
        catch (XmlException ex)
        {
            ignoredBecause = $"not XML: {ex.Message}";
            return [];
        }

        // Some devices leave RelatesTo out; one that names another Probe is someone else's answer.
        var relatesTo = document.Descendants().FirstOrDefault(e => e.Name.LocalName == "RelatesTo")?.Value.Trim();
        if (relatesTo is { Length: > 0 } && relatesTo != messageId)
        {
            ignoredBecause = $"answers another probe ({relatesTo})";
            return [];
        }

        var matches = document.Descendants().Where(e => e.Name.LocalName == "ProbeMatch" && IsDiscovery(e.Name.Namespace)).ToList();
        if (matches.Count == 0)
        {
            ignoredBecause = "no ProbeMatch";
            return [];
        }

        var devices = new List<DiscoveredDevice>();
        foreach (var match in matches)
        {
            var address = match.Elements().FirstOrDefault(e => e.Name.LocalName == "EndpointReference")?.Elements().FirstOrDefault(e => e.Name.LocalName == "Address")?.Value.Trim();
            var xaddrs = Words(match, "XAddrs")
                .Select(x => Uri.TryCreate(x, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) ? uri : null)
                .OfType<Uri>().ToList();
            if (string.IsNullOrEmpty(address) && xaddrs.Count == 0)
            {
                continue;
            }

            var typesElement = Child(match, "Types");
            var types = Words(match, "Types").Select(t => Resolve(typesElement!, t)).ToList();
            var version = uint.TryParse(Child(match, "MetadataVersion")?.Value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : (uint?)null;
            devices.Add(new DiscoveredDevice(address ?? xaddrs[0].AbsoluteUri, xaddrs, Words(match, "Scopes"), types, version, from));
        }

        if (devices.Count == 0)
        {
            ignoredBecause = "ProbeMatch without address";
        }

        return devices;
    }

    private static bool IsDiscovery(XNamespace ns) => ns == Wsd || ns.NamespaceName == OnvifNamespaces.Discovery2009;

    private static XElement? Child(XElement parent, string localName) => parent.Elements().FirstOrDefault(e => e.Name.LocalName == localName);

    private static List<string> Words(XElement parent, string localName) =>
        [.. (Child(parent, localName)?.Value ?? "").Split((char[])[' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries)];

    /// <summary>A QName such as <c>dn:NetworkVideoTransmitter</c> resolved against the element's prefixes.</summary>
    private static XName Resolve(XElement scope, string qname)
    {
        var colon = qname.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            return XName.Get(qname, scope.GetDefaultNamespace().NamespaceName);
        }

        var ns = scope.GetNamespaceOfPrefix(qname[..colon]);
        return XName.Get(qname[(colon + 1)..], ns?.NamespaceName ?? "");
    }
}
