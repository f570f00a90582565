using System.IO.Pipelines;
using System.Security.Cryptography;
using System.Threading.Channels;

namespace Nova.Firmware.Server.Packages;

/// <summary>The package file is larger than the configured limit.</summary>
internal sealed class PackageTooLargeException(long limit) : Exception($"The package exceeds the import limit of {limit} bytes.")
{
    public long Limit { get; } = limit;
}

/// <summary>Writing the temporary file failed (disk full, permissions): the server's problem, not the upload's.</summary>
internal sealed class PackageStorageException(IOException inner) : Exception($"Could not write the package to the blob store: {inner.Message}", inner);

/// <summary>
/// A read-only stream over the uploaded file that, for every byte read, also writes it to the
/// temporary file and feeds the SHA-256, SHA-1 and MD5 digests; memory use stays at
/// <see cref="DrainPieces"/> pieces. The importer reads the first bytes itself (to tell a .swu
/// bundle by its magic) and drains the rest, which receives, writes and hashes in a pipeline of
/// 1 MiB pieces, the digests on other cores: few writes, most of them straight to the disk
/// (<see cref="DirectWriter"/>), the rest with their write-back started as the file grows
/// (<see cref="WriteBack"/>). A .swu bundle's reader gets the drained bytes as a copy, so it
/// checks the bundle on a core of its own instead of holding up the pipeline.
/// </summary>
internal sealed class HashingTeeStream(Stream source, Stream target, long maxBytes, WriteBack? writeBack = null, DirectWriter? direct = null) : Stream
{
    /// <summary>The drain's piece: received while the pieces before it are hashed and written.</summary>
    public const int DrainBufferSize = 1024 * 1024;

    /// <summary>Pieces in the drain's pipeline: enough that no worker waits on another's piece.</summary>
    public const int DrainPieces = 4;

    private readonly IncrementalHash _sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly IncrementalHash _sha1 = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
    private readonly IncrementalHash _md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);

    public long BytesRead { get; private set; }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await ReceiveAsync(buffer, cancellationToken);
        if (read > 0)
        {
            await WriteToTargetAsync(buffer[..read], BytesRead - read, cancellationToken);
            _sha256.AppendData(buffer.Span[..read]);
            _sha1.AppendData(buffer.Span[..read]);
            _md5.AppendData(buffer.Span[..read]);
        }
        return read;
    }

    /// <summary>
    /// Reads (and so stores and hashes) everything that is left through a short pipeline: the upload
    /// is received into one of <see cref="DrainPieces"/> pieces while three workers (the file write,
    /// MD5, and SHA-256 with SHA-1) each take the pieces in order at their own pace. A piece goes back
    /// to be received into once all three are done with it. There is no step where everyone waits for
    /// the slowest: MD5, the longest chain, always has the next piece ready while the other core
    /// receives, writes and runs the SHA digests. With <paramref name="copy"/>, a fourth worker also
    /// writes each piece to that pipe, for a reader of the bytes (the .swu reader); once that reader
    /// has completed, the rest is not copied. The caller completes the pipe's writer.
    /// </summary>
    public async Task DrainAsync(CancellationToken cancellationToken, PipeWriter? copy = null)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var free = Channel.CreateUnbounded<Piece>();
        for (var i = 0; i < DrainPieces; i++)
        {
            free.Writer.TryWrite(new Piece(DirectWriter.AllocateAligned(DrainBufferSize)));
        }
        List<PieceWorker> workers =
        [
            new PieceWorker(free.Writer, stop, WriteToTargetAsync),
            new PieceWorker(free.Writer, stop, (piece, _, _) => { _md5.AppendData(piece.Span); return Task.CompletedTask; }),
            new PieceWorker(free.Writer, stop, (piece, _, _) =>
            {
                _sha256.AppendData(piece.Span);
                _sha1.AppendData(piece.Span);
                return Task.CompletedTask;
            }),
        ];
        if (copy is not null)
        {
            workers.Add(new PieceWorker(free.Writer, stop, CopyTo(copy)));
        }
        var done = workers.Select(w => w.Done).ToArray();
        try
        {
            while (true)
            {
                var piece = await free.Reader.ReadAsync(stop.Token);
                piece.Offset = BytesRead;
                // The first piece ends on an alignment boundary of the file, so that every full
                // piece after it can be written directly (see DirectWriter).
                var length = DrainBufferSize - (int)(BytesRead % DirectWriter.Alignment);
                piece.Length = await ReceiveAsync(piece.Buffer[..length], stop.Token);
                if (piece.Length == 0)
                {
                    break;
                }
                piece.Pending = workers.Count;
                foreach (var worker in workers)
                {
                    worker.Queue.Writer.TryWrite(piece);
                }
            }
        }
        catch when (stop.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // A worker failed (a full disk, say) and stopped the receive: its failure is the one that counts.
        }
        finally
        {
            // Whatever happened, no worker may still be writing to a file (or hashing a piece) that
            // the caller is about to throw away.
            foreach (var worker in workers)
            {
                worker.Queue.Writer.TryComplete();
            }
            await Task.WhenAll(done).ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
        // A worker's own failure comes before the cancellations it caused in the others.
        await (done.FirstOrDefault(t => t.IsFaulted) ?? Task.WhenAll(done));
    }

    /// <summary>One piece of the upload in the drain's pipeline, with the number of workers still on it.</summary>
    private sealed class Piece(Memory<byte> buffer)
    {
        public Memory<byte> Buffer { get; } = buffer;
        public long Offset { get; set; }
        public int Length { get; set; }
        public int Pending;
    }

    /// <summary>
    /// Takes the drain's pieces in order and does one job with each on a thread-pool thread, then
    /// hands the piece back when it was the last worker on it. A failure stops the whole drain.
    /// </summary>
    private sealed class PieceWorker
    {
        public Channel<Piece> Queue { get; } = Channel.CreateUnbounded<Piece>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        public Task Done { get; }

        public PieceWorker(ChannelWriter<Piece> free, CancellationTokenSource stop, Func<ReadOnlyMemory<byte>, long, CancellationToken, Task> job) =>
            Done = Task.Run(async () =>
            {
                try
                {
                    await foreach (var piece in Queue.Reader.ReadAllAsync(CancellationToken.None))
                    {
                        await job(piece.Buffer[..piece.Length], piece.Offset, stop.Token);
                        if (Interlocked.Decrement(ref piece.Pending) == 0)
                        {
                            free.TryWrite(piece);
                        }
                    }
                }
                catch
                {
                    await stop.CancelAsync();
                    throw;
                }
            }, CancellationToken.None);
    }

    private async ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var read = await source.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
        BytesRead += read;
        if (BytesRead > maxBytes)
        {
            throw new PackageTooLargeException(maxBytes);
        }
        return read;
    }

    /// <summary>A job that writes each piece to <paramref name="copy"/> until its reader has completed.</summary>
    private static Func<ReadOnlyMemory<byte>, long, CancellationToken, Task> CopyTo(PipeWriter copy)
    {
        var readerDone = false;
        return async (piece, _, cancellationToken) =>
        {
            if (!readerDone)
            {
                readerDone = (await copy.WriteAsync(piece, cancellationToken)).IsCompleted;
            }
        };
    }

    /// <summary>Writes one piece at <paramref name="offset"/>, the file's end: directly if it can, else through the target stream.</summary>
    private async Task WriteToTargetAsync(ReadOnlyMemory<byte> piece, long offset, CancellationToken cancellationToken)
    {
        try
        {
            if (direct is not null && direct.TryWrite(piece, offset))
            {
                // On the disk already, and flushed on the direct writer's own schedule.
                target.Position = offset + piece.Length;
                return;
            }
            await target.WriteAsync(piece, cancellationToken);
        }
        catch (IOException e)
        {
            throw new PackageStorageException(e);
        }
        // Through the page cache: its write-back starts as the file grows.
        writeBack?.Written(offset + piece.Length);
    }

    public (string Sha256, string Sha1, string Md5) Digests() =>
        (Convert.ToHexStringLower(_sha256.GetHashAndReset()), Convert.ToHexStringLower(_sha1.GetHashAndReset()), Convert.ToHexStringLower(_md5.GetHashAndReset()));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException("Read the upload asynchronously.");

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _sha256.Dispose();
            _sha1.Dispose();
            _md5.Dispose();
        }
        base.Dispose(disposing);
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => BytesRead; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
