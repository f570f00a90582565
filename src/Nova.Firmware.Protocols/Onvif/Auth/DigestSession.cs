using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Nova.Firmware.Protocols.Onvif.Auth;

/// <summary>
/// A challenge we have answered successfully once, kept so later requests to the same origin carry
/// an Authorization header up front: no 401 round trip, and a firmware upload that is never sent
/// into a challenge. Each use counts <c>nc</c> up (RFC 7616 §3.4) with a fresh cnonce.
/// </summary>
public sealed class DigestSession(DigestChallenge challenge)
{
    private long _nonceCount;

    public DigestChallenge Challenge { get; } = challenge;

    /// <summary>How many requests this nonce has authorised so far.</summary>
    public long NonceCount => Interlocked.Read(ref _nonceCount);

    /// <summary>The Authorization header value (without the scheme) for one request.</summary>
    public string Authorize(OnvifCredentials credentials, string method, string requestUri) =>
        Authorize(credentials, method, requestUri, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)));

    internal string Authorize(OnvifCredentials credentials, string method, string requestUri, string cnonce)
    {
        var c = Challenge;
        var qop = c.QopOptions.Count > 0 ? "auth" : null;
        var nc = qop is null ? null : Interlocked.Increment(ref _nonceCount).ToString("x8", CultureInfo.InvariantCulture);
        var response = DigestCalculator.Response(c.Algorithm, credentials.Username, c.Realm, credentials.Password, c.Nonce, method, requestUri, qop, nc, cnonce);

        var header = new StringBuilder();
        if (c.UserHash)
        {
            Quoted(header, "username", DigestCalculator.HashedUsername(c.Algorithm, credentials.Username, c.Realm));
        }
        else if (credentials.Username.Any(ch => ch > 0x7e || ch < 0x20))
        {
            // RFC 7616 §3.4.4: a name that is not plain ASCII goes in username* (RFC 5987 encoding).
            header.Append(CultureInfo.InvariantCulture, $"username*=UTF-8''{Uri.EscapeDataString(credentials.Username)}, ");
        }
        else
        {
            Quoted(header, "username", credentials.Username);
        }

        Quoted(header, "realm", c.Realm);
        Quoted(header, "nonce", c.Nonce);
        Quoted(header, "uri", requestUri);
        header.Append(CultureInfo.InvariantCulture, $"algorithm={c.Algorithm}, ");
        Quoted(header, "response", response);
        if (c.Opaque is not null)
        {
            Quoted(header, "opaque", c.Opaque);
        }

        if (qop is not null)
        {
            header.Append(CultureInfo.InvariantCulture, $"qop={qop}, nc={nc}, ");
            Quoted(header, "cnonce", cnonce);
        }

        if (c.UserHash)
        {
            header.Append("userhash=true, ");
        }

        return header.ToString(0, header.Length - 2);
    }

    private static void Quoted(StringBuilder header, string name, string value) =>
        header.Append(name).Append("=\"").Append(value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)).Append("\", ");
}
