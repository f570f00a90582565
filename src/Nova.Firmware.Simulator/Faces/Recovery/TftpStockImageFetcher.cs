using System.Net;
using Nova.Firmware.Protocols.Tftp;

namespace Nova.Firmware.Simulator.Faces.Recovery;

/// <summary>Recovery's <c>tftpboot</c>, done with the shared Protocols TFTP client (blksize 1428, like U-Boot builds that raise it).</summary>
public sealed class TftpStockImageFetcher(TftpClient? client = null) : IStockImageFetcher
{
    private static readonly TftpClientOptions Options = new() { BlockSize = 1428, RequestTransferSize = true };
    private readonly TftpClient _client = client ?? new TftpClient();

    public async Task<byte[]> FetchAsync(string server, string fileName, CancellationToken cancellationToken)
    {
        if (!IPEndPoint.TryParse(server, out var endpoint))
        {
            throw new ArgumentException($"TFTP server '{server}' is not host:port with an IP address.", nameof(server));
        }
        if (endpoint.Port == 0)
        {
            endpoint.Port = 69;
        }
        using var image = new MemoryStream();
        await _client.DownloadAsync(endpoint, fileName, image, Options, cancellationToken: cancellationToken);
        return image.ToArray();
    }
}
