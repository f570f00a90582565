using System.Text;

namespace Nova.Firmware.Protocols.Onvif.Auth;

/// <summary>
/// One <c>WWW-Authenticate: Digest ...</c> challenge (RFC 7616 §3.3). Parsing is tolerant: several
/// challenges in one header or in several headers, quoted or bare values, escaped quotes.
/// </summary>
public sealed record DigestChallenge(
    string Realm, string Nonce, string Algorithm, IReadOnlyList<string> QopOptions, string? Opaque, bool Stale, bool UserHash)
{
    /// <summary>Algorithms we can answer, strongest first. SHA-512-256 has no .NET primitive and is skipped.</summary>
    public static readonly IReadOnlyList<string> SupportedAlgorithms = ["SHA-256", "SHA-256-sess", "MD5", "MD5-sess"];

    /// <summary>True when we can answer it: a known algorithm and either no qop (RFC 2069 style) or qop=auth.</summary>
    public bool IsSupported =>
        SupportedAlgorithms.Contains(Algorithm, StringComparer.OrdinalIgnoreCase)
        && (QopOptions.Count == 0 || QopOptions.Contains("auth", StringComparer.OrdinalIgnoreCase));

    /// <summary>
    /// The challenge to answer among all offered: the strongest supported algorithm; null when the
    /// camera offers no Digest challenge we can answer (e.g. only auth-int or SHA-512-256).
    /// </summary>
    public static DigestChallenge? SelectBest(IEnumerable<string> headerValues)
    {
        var offered = ParseAll(headerValues).Where(c => c.IsSupported).ToList();
        foreach (var algorithm in SupportedAlgorithms)
        {
            var match = offered.FirstOrDefault(c => string.Equals(c.Algorithm, algorithm, StringComparison.OrdinalIgnoreCase));
            if (match is not null)
            {
                return match;
            }
        }

        return null;
    }

    /// <summary>Every Digest challenge in these header values, supported or not; other schemes are skipped.</summary>
    public static IReadOnlyList<DigestChallenge> ParseAll(IEnumerable<string> headerValues)
    {
        var found = new List<DigestChallenge>();
        foreach (var value in headerValues)
        {
            foreach (var (scheme, parameters) in SplitChallenges(value))
            {
                if (string.Equals(scheme, "Digest", StringComparison.OrdinalIgnoreCase)
                    && parameters.TryGetValue("nonce", out var nonce)
                    && parameters.TryGetValue("realm", out var realm))
                {
                    found.Add(new DigestChallenge(
                        realm,
                        nonce,
                        parameters.GetValueOrDefault("algorithm") is { Length: > 0 } algorithm ? algorithm : "MD5",
                        [.. (parameters.GetValueOrDefault("qop") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)],
                        parameters.GetValueOrDefault("opaque"),
                        string.Equals(parameters.GetValueOrDefault("stale"), "true", StringComparison.OrdinalIgnoreCase),
                        string.Equals(parameters.GetValueOrDefault("userhash"), "true", StringComparison.OrdinalIgnoreCase)));
                }
            }
        }

        return found;
    }

    /// <summary>Splits a header value into (scheme, parameters) pairs.</summary>
    private static List<(string Scheme, Dictionary<string, string> Parameters)> SplitChallenges(string header)
    {
        var challenges = new List<(string, Dictionary<string, string>)>();
        Dictionary<string, string>? current = null;
        var i = 0;
        while (i < header.Length)
        {
            while (i < header.Length && (header[i] == ',' || char.IsWhiteSpace(header[i])))
            {
                i++;
            }

            var start = i;
            while (i < header.Length && header[i] != '=' && header[i] != ',' && !char.IsWhiteSpace(header[i]))
            {
                i++;
            }

            var token = header[start..i];
            if (token.Length == 0)
            {
                i++;
                continue;
            }

            var afterSpaces = i;
            while (afterSpaces < header.Length && char.IsWhiteSpace(header[afterSpaces]))
            {
                afterSpaces++;
            }

            var isParameter = afterSpaces < header.Length && header[afterSpaces] == '='
                && (afterSpaces + 1 >= header.Length || header[afterSpaces + 1] != '=');
            if (!isParameter)
            {
                // A new scheme name (or a token68, which no Digest challenge carries).
                current = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                challenges.Add((token, current));
                continue;
            }

            i = afterSpaces + 1;
            while (i < header.Length && char.IsWhiteSpace(header[i]))
            {
                i++;
            }

            var value = ReadValue(header, ref i);
            current?.TryAdd(token, value);
        }

        return challenges;
    }

    private static string ReadValue(string header, ref int i)
    {
        if (i < header.Length && header[i] == '"')
        {
            var text = new StringBuilder();
            i++;
            while (i < header.Length && header[i] != '"')
            {
                if (header[i] == '\\' && i + 1 < header.Length)
                {
                    i++;
                }

                text.Append(header[i]);
                i++;
            }

            i++;
            return text.ToString();
        }

        var start = i;
        while (i < header.Length && header[i] != ',' && !char.IsWhiteSpace(header[i]))
        {
            i++;
        }

        return header[start..i];
    }
}
