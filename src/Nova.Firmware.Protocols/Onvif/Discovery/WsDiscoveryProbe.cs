using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Nova.Firmware.Protocols.Onvif.Discovery;

/// <summary>
/// Finds ONVIF cameras: sends a WS-Discovery Probe for <c>dn:NetworkVideoTransmitter</c> over UDP
/// multicast (239.255.255.250:3702) and/or to given addresses, and collects ProbeMatches until the
/// timeout, one entry per endpoint reference (answers to repeated Probes and several XAddrs merged).
/// </summary>
public sealed class WsDiscoveryProbe(TimeProvider? time = null, ILogger<WsDiscoveryProbe>? logger = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly ILogger _logger = (ILogger?)logger ?? NullLogger.Instance;

    public async Task<IReadOnlyList<DiscoveredDevice>> ProbeAsync(WsDiscoveryProbeOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var messageId = $"urn:uuid:{Guid.NewGuid()}";
        var probe = ProbeMatchParser.Probe(messageId);
        using var udp = new UdpClient(new IPEndPoint(options.LocalAddress, 0));
        if (options.Multicast)
        {
            udp.Client.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastTimeToLive, (int)options.MulticastTimeToLive);
        }

        var targets = (options.Multicast ? [WsDiscoveryProbeOptions.MulticastEndPoint] : Array.Empty<IPEndPoint>()).Concat(options.UnicastTargets).ToList();
        using var window = new CancellationTokenSource(options.Timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, window.Token);
        var found = new Dictionary<string, DiscoveredDevice>(StringComparer.OrdinalIgnoreCase);
        var receiving = ReceiveAsync(udp, messageId, found, linked.Token);
        for (var round = 0; round < options.SendCount && !linked.IsCancellationRequested; round++)
        {
            if (round > 0)
            {
                // SOAP-over-UDP spaces its repeats; a short pause keeps both from being lost to one burst.
                await DelayQuietly(TimeSpan.FromMilliseconds(100), linked.Token).ConfigureAwait(false);
            }

            foreach (var target in targets)
            {
                try
                {
                    await udp.SendAsync(probe, target, linked.Token).ConfigureAwait(false);
                }
                catch (SocketException ex)
                {
                    // No multicast route (containers, loopback-only hosts) must not stop the unicast probes.
                    OnvifLog.DiscoveryProbeNotSent(_logger, target, ex.Message);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }

        await receiving.ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        lock (found)
        {
            return [.. found.Values.OrderBy(d => d.EndpointReference, StringComparer.Ordinal)];
        }
    }

    private async Task ReceiveAsync(UdpClient udp, string messageId, Dictionary<string, DiscoveredDevice> found, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            UdpReceiveResult datagram;
            try
            {
                datagram = await udp.ReceiveAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (SocketException)
            {
                // ICMP port unreachable from a unicast target surfaces here on some systems; keep listening.
                continue;
            }

            var devices = ProbeMatchParser.Parse(datagram.Buffer, messageId, datagram.RemoteEndPoint, out var ignored);
            if (ignored is not null)
            {
                OnvifLog.DiscoveryDatagramIgnored(_logger, datagram.RemoteEndPoint, ignored);
            }

            lock (found)
            {
                foreach (var device in devices)
                {
                    found[device.EndpointReference] = found.TryGetValue(device.EndpointReference, out var known) ? Merge(known, device) : device;
                }
            }
        }
    }

    private static DiscoveredDevice Merge(DiscoveredDevice known, DiscoveredDevice again) => known with
    {
        XAddrs = [.. known.XAddrs.Union(again.XAddrs)],
        Scopes = [.. known.Scopes.Union(again.Scopes, StringComparer.Ordinal)],
        Types = [.. known.Types.Union(again.Types)],
    };

    private async Task DelayQuietly(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The window closed during the pause: nothing more to send.
        }
    }
}
