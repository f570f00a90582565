using System.Security.Cryptography;
using System.Text;

namespace Nova.Firmware.Protocols.Onvif.Auth;

/// <summary>The RFC 7616 §3.4.1 response computation, free of I/O so the RFC's examples can test it.</summary>
public static class DigestCalculator
{
    /// <summary>
    /// <c>KD(H(A1), nonce:nc:cnonce:qop:H(A2))</c> with qop, or <c>KD(H(A1), nonce:H(A2))</c>
    /// without (RFC 2069 compatibility). A1 = <c>user:realm:password</c> (for <c>-sess</c>:
    /// <c>H(user:realm:password):nonce:cnonce</c>); A2 = <c>method:uri</c>.
    /// </summary>
    public static string Response(
        string algorithm, string username, string realm, string password, string nonce,
        string method, string uri, string? qop, string? nc, string? cnonce)
    {
        var a1 = Hash(algorithm, $"{username}:{realm}:{password}");
        if (algorithm.EndsWith("-sess", StringComparison.OrdinalIgnoreCase))
        {
            a1 = Hash(algorithm, $"{a1}:{nonce}:{cnonce}");
        }

        var a2 = Hash(algorithm, $"{method}:{uri}");
        return qop is null
            ? Hash(algorithm, $"{a1}:{nonce}:{a2}")
            : Hash(algorithm, $"{a1}:{nonce}:{nc}:{cnonce}:{qop}:{a2}");
    }

    /// <summary>RFC 7616 §3.4.4: with userhash, the username field carries <c>H(user:realm)</c>.</summary>
    public static string HashedUsername(string algorithm, string username, string realm) => Hash(algorithm, $"{username}:{realm}");

    /// <summary>Lower-case hex of MD5 or SHA-256 of the UTF-8 text, as Digest writes every hash.</summary>
    public static string Hash(string algorithm, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        return algorithm.StartsWith("SHA-256", StringComparison.OrdinalIgnoreCase)
            ? Convert.ToHexStringLower(SHA256.HashData(bytes))
#pragma warning disable CA5351 // MD5 is what HTTP Digest on most cameras still uses; the protocol needs it.
            : Convert.ToHexStringLower(MD5.HashData(bytes));
#pragma warning restore CA5351
    }
}
