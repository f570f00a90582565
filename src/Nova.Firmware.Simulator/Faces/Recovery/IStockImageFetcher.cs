namespace Nova.Firmware.Simulator.Faces.Recovery;

/// <summary>
/// How a device in recovery mode pulls its stock image (U-Boot's <c>tftpboot</c>). Kept behind one
/// small interface so the TFTP client implementation can be swapped without touching the device model.
/// </summary>
public interface IStockImageFetcher
{
    /// <summary>Fetches <paramref name="fileName"/> from <paramref name="server"/> ("host:port"); throws on failure.</summary>
    Task<byte[]> FetchAsync(string server, string fileName, CancellationToken cancellationToken);
}
