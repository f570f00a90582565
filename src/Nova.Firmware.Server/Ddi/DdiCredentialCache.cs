using System.Collections.Concurrent;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Primitives;

namespace Nova.Firmware.Server.Ddi;

/// <summary>
/// The cached answers to "which device is this token / controllerId", with a way to drop every
/// answer about one device at once: when it is deleted, renamed or given a new token, its old
/// credentials must stop working on this replica immediately (other replicas: within
/// <see cref="DdiOptions.TokenCacheTime"/>).
/// </summary>
public sealed class DdiCredentialCache(IMemoryCache cache)
{
    private readonly ConcurrentDictionary<Guid, CancellationTokenSource> _byDevice = new();

    public bool TryGet(object key, out DdiDevice? device) => cache.TryGetValue(key, out device);

    public void Set(object key, DdiDevice device, TimeSpan lifetime)
    {
        var source = _byDevice.GetOrAdd(device.Id, _ => new CancellationTokenSource());
        var options = new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = lifetime };
        options.AddExpirationToken(new CancellationChangeToken(source.Token));
        cache.Set(key, device, options);
    }

    /// <summary>Forgets every cached credential of the device.</summary>
    public void Forget(Guid deviceId)
    {
        if (_byDevice.TryRemove(deviceId, out var source))
        {
            source.Cancel();
        }
    }
}
