using System.Net;
using Microsoft.Extensions.Options;

namespace Nova.Firmware.Server.Auth;

/// <summary>
/// Slows password guessing, per user name and per client address. A few failures are free; after
/// them each attempt must wait, the wait doubling with each further failure up to a bound. While it
/// must wait, an attempt is refused before the password is looked at, so it costs the server
/// nothing and tells the caller nothing, for unknown and known user names alike. A success clears
/// the user name's count (not the address's: one good account must not unlock guessing at others).
/// Counts live in this replica's memory; each replica throttles on its own.
/// </summary>
public sealed class SignInThrottle(TimeProvider time, IOptions<SignInOptions> options)
{
    /// <summary>Past this many tracked names or addresses, stale entries are swept; a flood of made-up names cannot grow it without bound.</summary>
    private const int SweepAbove = 10_000;
    private readonly Dictionary<string, Failures> _byUser = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Failures> _byAddress = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    private sealed class Failures
    {
        public int Count;
        public DateTimeOffset Last;
    }

    /// <summary>How long the caller must still wait before trying this user name from this address; null: try now.</summary>
    public TimeSpan? RetryAfter(string userName, IPAddress? address)
    {
        var now = time.GetUtcNow();
        var o = options.Value;
        lock (_lock)
        {
            var wait = Wait(_byUser, UserKey(userName), o.FreeFailuresPerUser, now);
            var addressWait = address is null ? null : Wait(_byAddress, address.ToString(), o.FreeFailuresPerAddress, now);
            return addressWait > wait || wait is null ? addressWait : wait;
        }
    }

    public void Failed(string userName, IPAddress? address)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            Count(_byUser, UserKey(userName), now);
            if (address is not null)
            {
                Count(_byAddress, address.ToString(), now);
            }
        }
    }

    public void Succeeded(string userName)
    {
        lock (_lock)
        {
            _byUser.Remove(UserKey(userName));
        }
    }

    private static string UserKey(string userName) => userName.ToUpperInvariant();

    private TimeSpan? Wait(Dictionary<string, Failures> map, string key, int free, DateTimeOffset now)
    {
        if (!map.TryGetValue(key, out var failures) || failures.Count < free)
        {
            return null;
        }
        var o = options.Value;
        if (now - failures.Last >= o.Window)
        {
            map.Remove(key);
            return null;
        }
        var doublings = Math.Min(failures.Count - free, 30);
        var delay = TimeSpan.FromTicks(Math.Min(o.MaxDelay.Ticks, o.FirstDelay.Ticks * (1L << doublings)));
        var until = failures.Last + delay;
        return until > now ? until - now : null;
    }

    private void Count(Dictionary<string, Failures> map, string key, DateTimeOffset now)
    {
        var window = options.Value.Window;
        if (map.Count > SweepAbove)
        {
            foreach (var stale in map.Where(e => now - e.Value.Last >= window).Select(e => e.Key).ToList())
            {
                map.Remove(stale);
            }
        }
        if (!map.TryGetValue(key, out var failures) || now - failures.Last >= window)
        {
            map[key] = failures = new Failures();
        }
        failures.Count++;
        failures.Last = now;
    }
}
