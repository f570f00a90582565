using System.Collections.Concurrent;

namespace Nova.Firmware.Protocols.Onvif.Auth;

/// <summary>
/// The last Digest challenge per origin (scheme, host, port). The device service and the upload
/// URI usually share one origin, so the upload authenticates up front.
/// </summary>
public sealed class DigestSessionCache
{
    private readonly ConcurrentDictionary<string, DigestSession> _sessions = new(StringComparer.OrdinalIgnoreCase);

    public DigestSession? Find(Uri uri) => _sessions.GetValueOrDefault(Origin(uri));

    public DigestSession Store(Uri uri, DigestChallenge challenge)
    {
        var session = new DigestSession(challenge);
        _sessions[Origin(uri)] = session;
        return session;
    }

    public void Forget(Uri uri) => _sessions.TryRemove(Origin(uri), out _);

    private static string Origin(Uri uri) => uri.GetLeftPart(UriPartial.Authority);
}
