using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;

namespace Nova.Firmware.Simulator.Faces.Onvif;

/// <summary>WS-Security UsernameToken with PasswordDigest, ONVIF's legacy in-message authentication.</summary>
public static class UsernameToken
{
    private static readonly XNamespace Wsse = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd";
    private static readonly XNamespace Wsu = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd";

    /// <summary>Base64(SHA1(nonce ‖ UTF8(created) ‖ UTF8(password))).</summary>
    public static string Digest(byte[] nonce, string created, string password) =>
#pragma warning disable CA5350 // SHA-1 is what the WS-Security UsernameToken profile prescribes.
        Convert.ToBase64String(SHA1.HashData([.. nonce, .. Encoding.UTF8.GetBytes(created), .. Encoding.UTF8.GetBytes(password)]));
#pragma warning restore CA5350

    /// <summary>True when the envelope's Security header carries a valid token for this user.</summary>
    public static bool Verify(XElement? header, string username, string password)
    {
        var token = header?.Element(Wsse + "Security")?.Element(Wsse + "UsernameToken");
        var user = token?.Element(Wsse + "Username")?.Value;
        var digest = token?.Element(Wsse + "Password")?.Value;
        var nonceText = token?.Element(Wsse + "Nonce")?.Value;
        var created = token?.Element(Wsu + "Created")?.Value;
        if (user != username || digest is null || nonceText is null || created is null)
        {
            return false;
        }
        byte[] nonce;
        try
        {
            nonce = Convert.FromBase64String(nonceText);
        }
        catch (FormatException)
        {
            return false;
        }
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Digest(nonce, created, password)), Encoding.ASCII.GetBytes(digest.Trim()));
    }
}
