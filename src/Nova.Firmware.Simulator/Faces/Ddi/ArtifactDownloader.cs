using System.Net;
using System.Net.Http.Headers;
using Nova.Firmware.Simulator.Devices;

namespace Nova.Firmware.Simulator.Faces.Ddi;

/// <summary>
/// Downloads an artifact the way SWUpdate's curl channel does: a dropped connection is resumed with
/// <c>Range: bytes=N-</c> until the attempts run out. The device's bandwidth and latency are simulated,
/// and its network faults (drop, truncation, corrupt bytes) are applied here, on the device side.
/// </summary>
internal sealed class ArtifactDownloader(HttpClient http, DdiAgentOptions options)
{
    public const string TooManyAttempts = "too many failed download attempts";

    public async Task<DownloadResult> DownloadAsync(SimulatedDevice device, Uri url, string token, long size, Func<long, Task> progress, CancellationToken ct)
    {
        var buffer = new MemoryStream(size > 0 && size < int.MaxValue ? (int)size : 0);
        var truncateAt = device.Faults.TakeTruncation() is { } t ? (long)(size * t / 100) : (long?)null;
        for (var attempt = 1; attempt <= options.MaxDownloadAttempts; attempt++)
        {
            var dropAt = device.Faults.TakeConnectionDrop() is { } d ? (long)(size * d / 100) : (long?)null;
            try
            {
                var outcome = await ReadAsync(device, url, token, buffer, dropAt, truncateAt, progress, ct);
                if (outcome == ReadOutcome.Complete)
                {
                    var bytes = buffer.ToArray();
                    Corrupt(bytes, device.Faults.TakeCorruption());
                    return new DownloadResult(bytes, null);
                }
                device.Log($"download interrupted at {buffer.Length} of {size} bytes (attempt {attempt})");
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException && !ct.IsCancellationRequested)
            {
                device.Log($"download error at {buffer.Length} bytes (attempt {attempt}): {ex.Message}");
            }
            if (attempt < options.MaxDownloadAttempts)
            {
                await device.Clock.Delay(TimeSpan.FromSeconds(options.RetryWaitSeconds), ct);
            }
        }
        return new DownloadResult(null, $"Channel operation returned HTTP error code 0. {TooManyAttempts}");
    }

    private async Task<ReadOutcome> ReadAsync(SimulatedDevice device, Uri url, string token, MemoryStream buffer, long? dropAt, long? truncateAt, Func<long, Task> progress, CancellationToken ct)
    {
        await device.Clock.Delay(TimeSpan.FromMilliseconds(device.Spec.LatencyMilliseconds), ct);
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("TargetToken", token);
        if (buffer.Length > 0)
        {
            request.Headers.Range = new RangeHeaderValue(buffer.Length, null);
        }
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        if (buffer.Length > 0 && response.StatusCode != HttpStatusCode.PartialContent)
        {
            // The server ignored the range: start over rather than append a second copy.
            buffer.SetLength(0);
        }
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync(ct);
        var chunk = new byte[64 * 1024];
        while (true)
        {
            var want = chunk.Length;
            if (dropAt is { } drop)
            {
                want = (int)Math.Min(want, Math.Max(0, drop - buffer.Length));
                if (want == 0)
                {
                    return ReadOutcome.Dropped;
                }
            }
            if (truncateAt is { } cut)
            {
                want = (int)Math.Min(want, Math.Max(0, cut - buffer.Length));
                if (want == 0)
                {
                    return ReadOutcome.Complete;
                }
            }
            var read = await body.ReadAsync(chunk.AsMemory(0, want), ct);
            if (read == 0)
            {
                return ReadOutcome.Complete;
            }
            buffer.Write(chunk, 0, read);
            await device.Clock.Delay(TimeSpan.FromSeconds((double)read / Math.Max(1, device.Spec.BandwidthBytesPerSecond)), ct);
            await progress(buffer.Length);
        }
    }

    /// <summary>Flips bytes spread over the file, as a bad cable or a flaky proxy would.</summary>
    private static void Corrupt(byte[] bytes, int count)
    {
        for (var i = 0; i < count && bytes.Length > 0; i++)
        {
            bytes[(int)((long)bytes.Length * (i + 1) / (count + 1))] ^= 0x5A;
        }
    }

    private enum ReadOutcome
    {
        Complete,
        Dropped,
    }
}

internal sealed record DownloadResult(byte[]? Bytes, string? Error);
