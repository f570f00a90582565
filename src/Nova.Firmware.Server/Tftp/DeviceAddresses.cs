using System.Net;
using System.Net.Sockets;

namespace Nova.Firmware.Server.Tftp;

/// <summary>
/// The IPv4 host of an inventory <c>Address</c>, which operators fill in as a bare address
/// (<c>192.168.0.40</c>), with a port, or as the ONVIF service URL. Host names are not resolved:
/// a rescue lookup must not hang on DNS, and recovery networks often have none.
/// </summary>
public static class DeviceAddresses
{
    public static IPAddress? HostOf(string? address)
    {
        var text = address?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }
        string host;
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && !string.IsNullOrEmpty(uri.Host))
        {
            host = uri.Host;
        }
        else
        {
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            host = colon < 0 ? text : text[..colon];
        }
        // Only the canonical dotted quad: IPAddress.Parse also takes "10" or "10.1" (legacy forms nobody means).
        return IPAddress.TryParse(host, out var ip) && ip.AddressFamily == AddressFamily.InterNetwork && ip.ToString() == host ? ip : null;
    }

    /// <summary>The IPv4 form of a peer's address (sockets may report IPv4-mapped IPv6).</summary>
    public static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
