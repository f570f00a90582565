using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Nova.Firmware.Protocols.Tests.Infrastructure;

public static class FreePort
{
    /// <summary>A UDP port on 127.0.0.1 that was free a moment ago (for peers that need a number up front).</summary>
    public static int Udp()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    /// <summary>True when something listens on UDP 127.0.0.1:<paramref name="port"/> (read from /proc/net/udp).</summary>
    public static bool IsUdpBound(int port)
    {
        var needle = "0100007F:" + port.ToString("X4", CultureInfo.InvariantCulture);
        return File.ReadLines("/proc/net/udp").Any(line => line.Contains(needle, StringComparison.Ordinal));
    }
}
