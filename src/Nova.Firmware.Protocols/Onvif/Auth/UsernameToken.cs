using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;

namespace Nova.Firmware.Protocols.Onvif.Auth;

/// <summary>WS-Security UsernameToken with PasswordDigest (ONVIF Core §5.12.3's legacy scheme).</summary>
public static class UsernameToken
{
    private static readonly XNamespace Wsse = OnvifNamespaces.WsSecurity;
    private static readonly XNamespace Wsu = OnvifNamespaces.WsSecurityUtility;

    /// <summary><c>Base64(SHA1(nonce ‖ UTF8(created) ‖ UTF8(password)))</c>.</summary>
    public static string PasswordDigest(ReadOnlySpan<byte> nonce, string created, string password)
    {
        var createdBytes = Encoding.UTF8.GetBytes(created);
        var passwordBytes = Encoding.UTF8.GetBytes(password);
        var input = new byte[nonce.Length + createdBytes.Length + passwordBytes.Length];
        nonce.CopyTo(input);
        createdBytes.CopyTo(input, nonce.Length);
        passwordBytes.CopyTo(input, nonce.Length + createdBytes.Length);
#pragma warning disable CA5350 // SHA-1 is what the UsernameToken profile prescribes; we cannot choose.
        return Convert.ToBase64String(SHA1.HashData(input));
#pragma warning restore CA5350
    }

    /// <summary>The xs:dateTime a token carries: UTC, whole seconds, 'Z'.</summary>
    public static string FormatCreated(DateTimeOffset created) =>
        created.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>The <c>wsse:Security</c> header for one request, with a fresh 16-byte nonce.</summary>
    public static XElement Header(OnvifCredentials credentials, DateTimeOffset cameraNow) =>
        Header(credentials, cameraNow, RandomNumberGenerator.GetBytes(16));

    internal static XElement Header(OnvifCredentials credentials, DateTimeOffset cameraNow, byte[] nonce)
    {
        var created = FormatCreated(cameraNow);
        return new XElement(Wsse + "Security",
            new XAttribute(XNamespace.Xmlns + "wsse", Wsse.NamespaceName),
            new XAttribute(XNamespace.Xmlns + "wsu", Wsu.NamespaceName),
            new XElement(Wsse + "UsernameToken",
                new XElement(Wsse + "Username", credentials.Username),
                new XElement(Wsse + "Password", new XAttribute("Type", OnvifNamespaces.PasswordDigestType), PasswordDigest(nonce, created, credentials.Password)),
                new XElement(Wsse + "Nonce", new XAttribute("EncodingType", OnvifNamespaces.Base64BinaryEncoding), Convert.ToBase64String(nonce)),
                new XElement(Wsu + "Created", created)));
    }
}
