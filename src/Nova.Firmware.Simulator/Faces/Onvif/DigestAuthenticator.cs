using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Nova.Firmware.Simulator.Faces.Onvif;

/// <summary>
/// HTTP Digest (RFC 7616, MD5 with qop=auth), the normative ONVIF authentication. Nonces are
/// stateless: a timestamp signed with a per-process key, valid for five minutes of real time.
/// </summary>
public sealed class DigestAuthenticator(TimeProvider time)
{
    public const string Realm = "nova-simulator";
    private static readonly TimeSpan NonceLifetime = TimeSpan.FromMinutes(5);
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);

    public string Challenge()
    {
        var stamp = time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var nonce = $"{stamp}.{Sign(stamp)}";
        return $"Digest realm=\"{Realm}\", qop=\"auth\", nonce=\"{nonce}\", algorithm=MD5";
    }

    /// <summary>True when the Authorization header is a valid Digest answer for this user and password.</summary>
    public bool Verify(string? authorization, string method, string username, string password)
    {
        if (authorization is null || !authorization.StartsWith("Digest ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        var fields = Parse(authorization["Digest ".Length..]);
        if (!fields.TryGetValue("nonce", out var nonce) || !FreshNonce(nonce)
            || fields.GetValueOrDefault("username") != username || fields.GetValueOrDefault("realm") != Realm
            || !fields.TryGetValue("uri", out var uri) || !fields.TryGetValue("response", out var response))
        {
            return false;
        }
        var ha1 = Md5($"{username}:{Realm}:{password}");
        var ha2 = Md5($"{method}:{uri}");
        var expected = fields.TryGetValue("qop", out var qop)
            ? Md5($"{ha1}:{nonce}:{fields.GetValueOrDefault("nc")}:{fields.GetValueOrDefault("cnonce")}:{qop}:{ha2}")
            : Md5($"{ha1}:{nonce}:{ha2}");
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(response.ToLowerInvariant()));
    }

    private bool FreshNonce(string nonce)
    {
        var parts = nonce.Split('.');
        return parts.Length == 2
            && parts[1] == Sign(parts[0])
            && long.TryParse(parts[0], CultureInfo.InvariantCulture, out var issued)
            && time.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(issued) < NonceLifetime;
    }

    private string Sign(string stamp) => Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes(stamp)))[..16];

#pragma warning disable CA5351 // MD5 is what HTTP Digest (and ONVIF cameras) use.
    private static string Md5(string text) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(text)));
#pragma warning restore CA5351

    private static Dictionary<string, string> Parse(string header)
    {
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var i = 0;
        while (i < header.Length)
        {
            while (i < header.Length && (header[i] == ',' || char.IsWhiteSpace(header[i])))
            {
                i++;
            }
            var eq = header.IndexOf('=', i);
            if (eq < 0)
            {
                break;
            }
            var name = header[i..eq].Trim();
            i = eq + 1;
            string value;
            if (i < header.Length && header[i] == '"')
            {
                var end = header.IndexOf('"', i + 1);
                value = end < 0 ? header[(i + 1)..] : header[(i + 1)..end];
                i = end < 0 ? header.Length : end + 1;
            }
            else
            {
                var end = header.IndexOf(',', i);
                value = (end < 0 ? header[i..] : header[i..end]).Trim();
                i = end < 0 ? header.Length : end;
            }
            fields[name] = value;
        }
        return fields;
    }
}
