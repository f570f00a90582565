using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Nova.Firmware.Simulator.Faces.Onvif;

/// <summary>Upload URIs handed out by StartFirmwareUpgrade; each is good for one upload.</summary>
public sealed class FirmwareUploads
{
    private readonly ConcurrentDictionary<string, string> _tickets = new(StringComparer.Ordinal);

    public string Issue(string deviceId)
    {
        var ticket = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        _tickets[ticket] = deviceId;
        return ticket;
    }

    public bool Redeem(string deviceId, string ticket) =>
        _tickets.TryRemove(ticket, out var owner) && owner == deviceId;
}
