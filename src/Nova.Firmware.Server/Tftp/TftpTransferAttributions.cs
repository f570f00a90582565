using System.Collections.Concurrent;
using System.Net;

namespace Nova.Firmware.Server.Tftp;

/// <summary>What the file lookup learnt about one transfer, for its timeline entries.</summary>
public sealed record TftpTransferAttribution(RescueDevice? Device, Guid? PackageId, string? PackageVersion, string? PackageFileName);

/// <summary>
/// Hands what the file provider learnt about a request to the observer that reports the transfer.
/// Keyed by the client's end point: the protocol layer runs at most one transfer per client end
/// point, and the lookup happens before any of that transfer's events except an early failure.
/// </summary>
public sealed class TftpTransferAttributions
{
    private readonly ConcurrentDictionary<IPEndPoint, TftpTransferAttribution> _byRemote = new();

    public void Set(IPEndPoint remote, TftpTransferAttribution attribution) => _byRemote[remote] = attribution;

    public TftpTransferAttribution? Peek(IPEndPoint remote) => _byRemote.GetValueOrDefault(remote);

    /// <summary>At the end of a transfer: its attribution, forgotten from now on.</summary>
    public TftpTransferAttribution? Take(IPEndPoint remote) => _byRemote.TryRemove(remote, out var attribution) ? attribution : null;
}
