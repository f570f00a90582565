using System.Collections.Concurrent;

namespace Nova.Firmware.Server.Auth;

/// <summary>
/// Ends, on this replica, what a credential still holds open (event streams) the moment it is
/// revoked: an API key revoked, a user disabled, deleted, demoted or given a new password (which
/// also ends the streams of that user's API keys). Other replicas notice on their next check
/// (<see cref="CredentialCheck"/>), within <c>Nova:Security:CredentialRecheckInterval</c>.
/// </summary>
public sealed class CredentialRevocations
{
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _watched = new(StringComparer.Ordinal);

    public static string UserSubject(string userName) => "user:" + userName;

    public static string KeySubject(Guid keyId) => "key:" + keyId.ToString("N");

    /// <summary>A token cancelled when <paramref name="subject"/> is revoked.</summary>
    public CancellationToken Watch(string subject) => _watched.GetOrAdd(subject, _ => new CancellationTokenSource()).Token;

    public void Revoke(string subject)
    {
        if (_watched.TryRemove(subject, out var source))
        {
            // Not disposed: a stream may be taking its token right now; the source is collected with it.
            source.Cancel();
        }
    }
}
