using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Nova.Firmware.Protocols.Tftp;

/// <summary>
/// File names devices ask for. U-Boot's <c>tftpboot</c> without a file name requests its own IPv4
/// address as eight upper-case hex digits plus <c>.img</c> (192.168.0.40 → <c>C0A80028.img</c>).
/// </summary>
public static class TftpFileNames
{
    public const string UBootExtension = ".img";

    public static string HexAddressName(IPAddress address, string extension = UBootExtension)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetwork)
        {
            throw new ArgumentException($"{address} is not an IPv4 address; U-Boot names exist only for IPv4.", nameof(address));
        }

        return Convert.ToHexString(address.GetAddressBytes()) + extension;
    }

    /// <summary>Reads <c>C0A80028.img</c> (any case, any extension) back into 192.168.0.40.</summary>
    public static bool TryParseHexAddressName(string fileName, out IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        address = IPAddress.None;
        var dot = fileName.IndexOf('.', StringComparison.Ordinal);
        var stem = dot < 0 ? fileName : fileName[..dot];
        if (stem.Length != 8 || !uint.TryParse(stem, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out _))
        {
            return false;
        }

        address = new IPAddress(Convert.FromHexString(stem));
        return true;
    }
}
