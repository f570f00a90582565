using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Nova.Firmware.Server.Endpoints.Management.Discovery;

/// <summary>
/// Addresses discovery accepts: IP literals only. A name would be resolved by the server's DNS,
/// which is both a second source of truth for "which camera is this" and a way to point the
/// server's credentials at hosts nobody meant.
/// </summary>
internal static class IpLiteral
{
    public const int WsDiscoveryPort = 3702;

    /// <summary>
    /// <c>192.0.2.7</c> or <c>192.0.2.7:3702</c> (port 3702 when absent); null with the reason when it is
    /// not that, or not an address one camera can have. IPv6 is recognised only to say it is not
    /// probed: the probe's socket is IPv4, like the WS-Discovery group cameras listen on.
    /// </summary>
    public static IPEndPoint? ParseProbeTarget(string? text, out string? problem)
    {
        problem = null;
        var value = text?.Trim() ?? "";
        string host;
        string? port = null;
        if (value.StartsWith('['))
        {
            var close = value.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || (close + 1 < value.Length && value[close + 1] != ':'))
            {
                return Fail(out problem);
            }
            host = value[1..close];
            port = close + 1 < value.Length ? value[(close + 2)..] : null;
        }
        else if (value.Count(c => c == ':') == 1)
        {
            var colon = value.IndexOf(':', StringComparison.Ordinal);
            host = value[..colon];
            port = value[(colon + 1)..];
        }
        else
        {
            host = value;
        }

        if (!TryParseAddress(host, out var address))
        {
            return Fail(out problem);
        }
        if (address.AddressFamily != AddressFamily.InterNetwork)
        {
            problem = "Only IPv4 addresses are probed.";
            return null;
        }
        var portNumber = WsDiscoveryPort;
        if (port is not null && (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out portNumber) || portNumber is < 1 or > 65535))
        {
            problem = "The port must be a number from 1 to 65535.";
            return null;
        }
        // 224.0.0.0/4 is multicast: one camera never owns it.
        if (address.Equals(IPAddress.Any) || address.Equals(IPAddress.Broadcast) || (address.GetAddressBytes()[0] & 0xF0) == 0xE0)
        {
            problem = "Must be one device's address; for the multicast group use \"multicast\": true.";
            return null;
        }
        return new IPEndPoint(address, portNumber);
    }

    /// <summary>An absolute http(s) URL whose host is an IP literal: a device service address discovery may call.</summary>
    public static bool IsCallableUrl(Uri uri) =>
        uri.IsAbsoluteUri
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && uri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6
        && string.IsNullOrEmpty(uri.UserInfo);

    /// <summary>
    /// IPv4 only in dotted-quad form: the parser also takes "10.1" or "0x0a000001", which nobody
    /// types on purpose and which would be reported back in a form they did not send.
    /// </summary>
    private static bool TryParseAddress(string host, out IPAddress address)
    {
        if (!IPAddress.TryParse(host, out address!))
        {
            return false;
        }
        return address.AddressFamily == AddressFamily.InterNetworkV6
            ? host.Contains(':', StringComparison.Ordinal)
            : address.ToString() == host;
    }

    private static IPEndPoint? Fail(out string? problem)
    {
        problem = "Must be an IPv4 address, optionally with a port (192.0.2.7 or 192.0.2.7:3702); names are not resolved.";
        return null;
    }
}
