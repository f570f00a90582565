using System.Diagnostics;
using Nova.Firmware.Simulator.Faces.Recovery;

namespace Nova.Firmware.Simulator.Tests.Infrastructure;

/// <summary>
/// Test-only stock image fetcher using curl's TFTP client. Stands in until the shared Protocols
/// TFTP client is merged; the device model only sees <see cref="IStockImageFetcher"/>.
/// </summary>
public sealed class CurlTftpFetcher : IStockImageFetcher
{
    public int Fetches { get; private set; }

    public async Task<byte[]> FetchAsync(string server, string fileName, CancellationToken cancellationToken)
    {
        Fetches++;
        var target = Path.Combine(Path.GetTempPath(), $"nova-sim-fetch-{Guid.NewGuid():N}");
        try
        {
            var start = new ProcessStartInfo("curl")
            {
                ArgumentList = { "--silent", "--show-error", "--max-time", "10", "--tftp-blksize", "1428", "-o", target, $"tftp://{server}/{fileName}" },
                RedirectStandardError = true,
            };
            using var curl = Process.Start(start)!;
            var error = await curl.StandardError.ReadToEndAsync(cancellationToken);
            await curl.WaitForExitAsync(cancellationToken);
            if (curl.ExitCode != 0)
            {
                throw new IOException($"tftp {fileName}: {error.Trim()} (curl exit {curl.ExitCode})");
            }
            return await File.ReadAllBytesAsync(target, cancellationToken);
        }
        finally
        {
            File.Delete(target);
        }
    }
}
