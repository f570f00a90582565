using System.Net;

namespace Nova.Firmware.Protocols.Tftp;

/// <summary>
/// Where the TFTP server finds what a device asks for. The remote end point is passed so a
/// provider can serve the stock image that belongs to the device at that address.
/// </summary>
public interface ITftpFileProvider
{
    ValueTask<TftpFileLookup> OpenAsync(string fileName, IPEndPoint remoteEndPoint, CancellationToken cancellationToken);
}
