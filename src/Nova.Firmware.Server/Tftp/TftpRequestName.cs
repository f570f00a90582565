using System.Net;
using Nova.Firmware.Protocols.Tftp;

namespace Nova.Firmware.Server.Tftp;

/// <summary>
/// What a requested TFTP file name asks for, read without touching the catalog:
/// U-Boot's address name (<c>C0A80028.img</c>), a catalog path
/// (<c>&lt;vendor&gt;/&lt;model&gt;/&lt;revision&gt;/&lt;file&gt;</c>), a plain file name, or a refusal.
/// Nothing here touches a file system, but names that would climb or start at a root are refused
/// anyway, so a client never learns that such names might work.
/// </summary>
public abstract record TftpRequestName(string Requested)
{
    /// <summary>U-Boot's own IPv4 address in hex; when no device has that address it is tried as a file name.</summary>
    public sealed record AddressName(string Requested, IPAddress Address) : TftpRequestName(Requested);

    public sealed record CatalogPath(string Requested, string Vendor, string Model, string HardwareRevision, string FileName) : TftpRequestName(Requested);

    public sealed record PlainFile(string Requested) : TftpRequestName(Requested);

    public sealed record Refused(string Requested, string Reason) : TftpRequestName(Requested);

    public static TftpRequestName Parse(string requested)
    {
        ArgumentNullException.ThrowIfNull(requested);
        var segments = requested.Split('/', '\\');
        if (Array.Exists(segments, s => s == ".."))
        {
            return new Refused(requested, $"File name '{requested}' climbs out with '..'; ask for a stock image's file name.");
        }
        if (requested.StartsWith('/') || requested.StartsWith('\\') || (requested.Length >= 2 && requested[1] == ':'))
        {
            return new Refused(requested, $"Absolute file name '{requested}' refused; ask for a stock image's file name.");
        }
        if (Array.Exists(segments, s => s.Length == 0 || s == "." || s.Trim().Length != s.Length))
        {
            return new Refused(requested, $"File name '{requested}' has an empty, '.' or space-padded part.");
        }
        return segments.Length switch
        {
            1 when TftpFileNames.TryParseHexAddressName(requested, out var address) => new AddressName(requested, address),
            1 => new PlainFile(requested),
            4 => new CatalogPath(requested, segments[0], segments[1], segments[2], segments[3]),
            _ => new Refused(requested, $"File name '{requested}' is neither a file name nor vendor/model/revision/file."),
        };
    }
}
