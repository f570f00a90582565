using System.Net.Http.Headers;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace Nova.Firmware.Protocols.Onvif.Soap;

/// <summary>
/// Builds SOAP 1.2 requests and reads answers defensively: no DTDs, no external entities, no
/// network lookups, a cap on characters; SOAP 1.1 faults are understood too.
/// </summary>
internal static class SoapMessage
{
    public static readonly XNamespace Env = OnvifNamespaces.Soap12;
    public static readonly XNamespace Env11 = OnvifNamespaces.Soap11;
    public static readonly XNamespace Tds = OnvifNamespaces.Device;
    public static readonly XNamespace Tt = OnvifNamespaces.Schema;

    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    public static MediaTypeHeaderValue ContentType => new("application/soap+xml") { CharSet = "utf-8" };

    public static byte[] Build(XElement body, XElement? securityHeader)
    {
        var envelope = new XElement(Env + "Envelope",
            new XAttribute(XNamespace.Xmlns + "s", Env.NamespaceName),
            new XAttribute(XNamespace.Xmlns + "tds", Tds.NamespaceName),
            new XAttribute(XNamespace.Xmlns + "tt", Tt.NamespaceName),
            securityHeader is null ? null : new XElement(Env + "Header", securityHeader),
            new XElement(Env + "Body", body));
        using var buffer = new MemoryStream();
        using (var writer = XmlWriter.Create(buffer, new XmlWriterSettings { Encoding = Utf8NoBom, OmitXmlDeclaration = false }))
        {
            new XDocument(envelope).Save(writer);
        }

        return buffer.ToArray();
    }

    /// <summary>The answer as XML, or null with the parser's complaint when it is not well-formed XML.</summary>
    public static XDocument? TryLoad(byte[] body, out string? problem)
    {
        problem = null;
        if (body.Length == 0)
        {
            problem = "empty body";
            return null;
        }

        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersFromEntities = 1024,
            MaxCharactersInDocument = body.Length + 1L,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
        };
        try
        {
            using var reader = XmlReader.Create(new MemoryStream(body, writable: false), settings);
            return XDocument.Load(reader);
        }
        catch (XmlException ex)
        {
            problem = $"not well-formed XML: {ex.Message}";
            return null;
        }
    }

    /// <summary>The SOAP Body of a 1.2 (or 1.1) envelope; null when the document is no envelope.</summary>
    public static XElement? Body(XDocument document)
    {
        var root = document.Root;
        if (root is null || root.Name.LocalName != "Envelope" || (root.Name.Namespace != Env && root.Name.Namespace != Env11))
        {
            return null;
        }

        return root.Element(root.Name.Namespace + "Body");
    }

    /// <summary>The fault in a SOAP body (1.2 Code/Subcode/Reason or 1.1 faultcode/faultstring), or null.</summary>
    public static OnvifFault? Fault(XElement? body)
    {
        var fault = body?.Elements().FirstOrDefault(e => e.Name.LocalName == "Fault");
        if (fault is null)
        {
            return null;
        }

        if (fault.Name.Namespace == Env11)
        {
            var code = fault.Element("faultcode");
            return new OnvifFault(LocalPart(code?.Value ?? ""), [], fault.Element("faultstring")?.Value.Trim() ?? "");
        }

        var subcodes = new List<string>();
        var level = fault.Element(Env + "Code");
        var codeValue = level?.Element(Env + "Value");
        for (var sub = level?.Element(Env + "Subcode"); sub is not null; sub = sub.Element(Env + "Subcode"))
        {
            if (sub.Element(Env + "Value") is { } value)
            {
                subcodes.Add(QualifiedName(value));
            }
        }

        var texts = fault.Element(Env + "Reason")?.Elements(Env + "Text").ToList() ?? [];
        var reason = texts.FirstOrDefault(t => ((string?)t.Attribute(XNamespace.Xml + "lang"))?.StartsWith("en", StringComparison.OrdinalIgnoreCase) == true) ?? texts.FirstOrDefault();
        return new OnvifFault(LocalPart(codeValue?.Value ?? ""), subcodes, reason?.Value.Trim() ?? "");
    }

    /// <summary>The start of an answer as text, for error messages; control characters blanked.</summary>
    public static string Excerpt(byte[] body, int max = 400)
    {
        var text = Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, max * 4));
        var chars = text.Take(max).Select(c => char.IsControl(c) ? ' ' : c).ToArray();
        return new string(chars) + (text.Length > max ? "…" : "");
    }

    /// <summary>A QName value written <c>ter:Local</c> when it is in ONVIF's error namespace, else as sent.</summary>
    private static string QualifiedName(XElement value)
    {
        var text = value.Value.Trim();
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var ns = colon > 0 ? value.GetNamespaceOfPrefix(text[..colon]) : value.GetDefaultNamespace();
        return ns?.NamespaceName == OnvifNamespaces.Error ? $"ter:{text[(colon + 1)..]}" : text;
    }

    private static string LocalPart(string qname) => qname.Trim()[(qname.Trim().IndexOf(':', StringComparison.Ordinal) + 1)..];

    /// <summary>A child by local name: cameras are not always exact about the namespace of leaf elements.</summary>
    public static XElement? Child(this XElement parent, string localName) =>
        parent.Elements().FirstOrDefault(e => e.Name.LocalName == localName);

    public static IEnumerable<XElement> Children(this XElement parent, string localName) =>
        parent.Elements().Where(e => e.Name.LocalName == localName);
}
