using Microsoft.AspNetCore.Http.Features;

namespace Nova.Firmware.Server.Packages;

/// <summary>
/// The response body of a package download, with a cheaper way to send a file than Kestrel's own.
/// Kestrel has no sendfile: its <see cref="IHttpResponseBodyFeature.SendFileAsync"/> copies through
/// a 16 KiB buffer, each chunk read asynchronously (a thread-pool hop per read on Linux), copied
/// again into the response pipe and flushed on its own. Here the file is read straight into the
/// response pipe's memory (one copy: page cache to the buffer the socket sends from), in pieces of
/// the server's memory-pool block, and flushed once per 256 KiB, so the per-byte cost left is the
/// kernel's read and send. Everything else (headers, Range, If-Range, ETag, HEAD) stays with the file
/// result that calls <see cref="SendFileAsync"/>; the other members pass through to the server's own
/// feature.
/// </summary>
public sealed class BlobSendFile(IHttpResponseBodyFeature inner) : IHttpResponseBodyFeature
{
    /// <summary>
    /// Bytes handed to the socket per flush. At 256 KiB the server's CPU per GiB served was a quarter
    /// lower than at 64 KiB (fewer sends and flushes).
    /// </summary>
    public const int ChunkSize = 256 * 1024;

    /// <summary>
    /// Bytes read per call: one block of Kestrel's memory pool (<see cref="Hosting.LargeBlockMemoryPool"/>).
    /// A larger request than the pool's block makes the response pipe rent from the shared array
    /// pool instead, which keeps only a few arrays of each size: with 100 downloads at once, every
    /// 256 KiB piece was a new large-object array, 350 MB/s of garbage and a dozen full collections
    /// a second. Pool blocks are reused, so memory per download is bounded: one chunk plus Kestrel's
    /// response buffer.
    /// </summary>
    public const int PieceSize = Hosting.LargeBlockMemoryPool.BlockSize;

    /// <summary>Routes this response's file sends through <see cref="BlobSendFile"/>.</summary>
    public static void Use(HttpContext context)
    {
        var current = context.Features.GetRequiredFeature<IHttpResponseBodyFeature>();
        if (current is not BlobSendFile)
        {
            context.Features.Set<IHttpResponseBodyFeature>(new BlobSendFile(current));
        }
    }

    public Stream Stream => inner.Stream;

    public System.IO.Pipelines.PipeWriter Writer => inner.Writer;

    public void DisableBuffering() => inner.DisableBuffering();

    public Task StartAsync(CancellationToken cancellationToken = default) => inner.StartAsync(cancellationToken);

    public Task CompleteAsync() => inner.CompleteAsync();

    public async Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default)
    {
        // Synchronous reads: a blob is usually in the page cache, where a read costs microseconds, and
        // on Linux an "asynchronous" file read is this same read on another thread-pool thread anyway.
        // FileShare.Delete: a package deleted mid-download leaves this open file readable to the end.
        using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, FileOptions.SequentialScan);
        var fileLength = RandomAccess.GetLength(file);
        if (offset < 0 || offset > fileLength)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), offset, "The offset is outside the file.");
        }
        var remaining = count ?? fileLength - offset;
        if (remaining < 0 || remaining > fileLength - offset)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, "The range is outside the file.");
        }
        var writer = inner.Writer;
        while (remaining > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            for (var chunk = Math.Min(ChunkSize, remaining); chunk > 0;)
            {
                var memory = writer.GetMemory(PieceSize);
                var read = RandomAccess.Read(file, memory.Span[..(int)Math.Min(memory.Length, chunk)], offset);
                if (read == 0)
                {
                    // Blobs are immutable: a file shorter than its Content-Length is a damaged store.
                    throw new IOException($"{path} ended {remaining} bytes before the length being sent.");
                }
                writer.Advance(read);
                offset += read;
                remaining -= read;
                chunk -= read;
            }
            var flushed = await writer.FlushAsync(cancellationToken);
            if (flushed.IsCanceled || flushed.IsCompleted)
            {
                // The client went away: nothing more can be sent on this response.
                return;
            }
        }
    }
}
