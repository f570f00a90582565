using System.Security.Cryptography;

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
/// temporary file and feeds the SHA-256, SHA-1 and MD5 digests. Whoever reads it (the .swu reader,
/// or a plain drain for raw images) therefore sees each byte once, and memory use stays at two pieces.
/// Each read fills the caller's buffer as far as the upload allows (the multipart reader hands out at
/// most its own buffer's worth per call), so the drain hashes and writes in 1 MiB pieces: few
/// writes, and the kernel's write-back of the file is started as it grows (<see cref="WriteBack"/>).
/// The drain receives the next piece while the last one is hashed, and hashes on other cores.
/// </summary>
internal sealed class HashingTeeStream(Stream source, Stream target, long maxBytes, WriteBack? writeBack = null) : Stream
{
    /// <summary>The drain's piece: received while the piece before it is hashed and written.</summary>
    public const int DrainBufferSize = 1024 * 1024;

    /// <summary>Pieces from this size are hashed on other cores; smaller ones are not worth the hops.</summary>
    private const int ParallelHashBytes = 256 * 1024;

    private readonly IncrementalHash _sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly IncrementalHash _sha1 = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
    private readonly IncrementalHash _md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
    private long _written;

    public long BytesRead { get; private set; }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await ReceiveAsync(buffer, cancellationToken);
        if (read > 0)
        {
            await ConsumeAsync(buffer[..read], cancellationToken);
        }
        return read;
    }

    /// <summary>
    /// Reads (and so stores and hashes) everything that is left, in two pieces that take turns: one
    /// is received while the other is hashed and written, so the upload does not wait for the digests
    /// and the digests do not wait for the upload. Each digest still sees the pieces in order.
    /// </summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        byte[][] pieces = [new byte[DrainBufferSize], new byte[DrainBufferSize]];
        var consuming = Task.CompletedTask;
        try
        {
            for (var turn = 0; ; turn ^= 1)
            {
                var read = await ReceiveAsync(pieces[turn], cancellationToken);
                await consuming;
                if (read == 0)
                {
                    return;
                }
                consuming = ConsumeAsync(pieces[turn].AsMemory(0, read), cancellationToken);
            }
        }
        finally
        {
            // A failed receive must not leave a write or a hash running on a piece (and a file) that
            // the caller is about to throw away. Its own failure is the one that counts.
            await consuming.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
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

    /// <summary>Writes one piece to the file and feeds it to the three digests.</summary>
    private Task ConsumeAsync(ReadOnlyMemory<byte> piece, CancellationToken cancellationToken)
    {
        var write = WriteToTargetAsync(piece, cancellationToken);
        if (piece.Length < ParallelHashBytes)
        {
            _sha256.AppendData(piece.Span);
            _sha1.AppendData(piece.Span);
            _md5.AppendData(piece.Span);
            return write;
        }
        // MD5 has no processor instructions of its own and costs as much as SHA-256 and SHA-1
        // together (about 750 against 1,800 MB/s each on a recent x86 core): it gets a core to itself.
        var md5 = Task.Run(() => _md5.AppendData(piece.Span), CancellationToken.None);
        var sha = Task.Run(() =>
        {
            _sha256.AppendData(piece.Span);
            _sha1.AppendData(piece.Span);
        }, CancellationToken.None);
        return Task.WhenAll(write, md5, sha);
    }

    private async Task WriteToTargetAsync(ReadOnlyMemory<byte> piece, CancellationToken cancellationToken)
    {
        try
        {
            await target.WriteAsync(piece, cancellationToken);
        }
        catch (IOException e)
        {
            throw new PackageStorageException(e);
        }
        _written += piece.Length;
        writeBack?.Written(_written);
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
