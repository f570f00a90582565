using System.Net;

namespace Nova.Firmware.Protocols.Onvif.Discovery;

/// <summary>Where a Probe goes and how long answers are collected.</summary>
public sealed class WsDiscoveryProbeOptions
{
    public static readonly IPEndPoint MulticastEndPoint = new(IPAddress.Parse("239.255.255.250"), 3702);

    /// <summary>Send to 239.255.255.250:3702. Off for tests and for networks that filter multicast.</summary>
    public bool Multicast { get; init; } = true;

    /// <summary>Addresses probed directly (a camera's IP and port 3702), with or without multicast.</summary>
    public IReadOnlyList<IPEndPoint> UnicastTargets { get; init; } = [];

    /// <summary>How long answers are collected after the Probe goes out.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// How many times each Probe is sent: UDP may drop it, and SOAP-over-UDP repeats messages.
    /// Answers to the repeats are de-duplicated.
    /// </summary>
    public int SendCount { get; init; } = 2;

    /// <summary>The local address to bind (IPAddress.Any by default; 127.0.0.1 for loopback-only use).</summary>
    public IPAddress LocalAddress { get; init; } = IPAddress.Any;

    /// <summary>Multicast hop limit; 1 keeps the Probe on the local link, as WS-Discovery intends.</summary>
    public short MulticastTimeToLive { get; init; } = 1;

    public void Validate()
    {
        if (!Multicast && UnicastTargets.Count == 0)
        {
            throw new ArgumentException("Nothing to probe: multicast is off and no unicast targets are given.", nameof(UnicastTargets));
        }

        if (Timeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(Timeout), Timeout, "Timeout must be positive.");
        }

        if (SendCount is < 1 or > 5)
        {
            throw new ArgumentOutOfRangeException(nameof(SendCount), SendCount, "SendCount must be 1 to 5.");
        }
    }
}
