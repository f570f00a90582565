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
/// or a plain drain for raw images) therefore sees each byte once, and memory use stays at one buffer.
/// Each read fills the caller's buffer as far as the upload allows (the multipart reader hands out at
/// most its own buffer's worth per call), so the drain hashes and writes in 1 MiB pieces: few
/// writes, and the kernel's write-back of the file is started as it grows (<see cref="WriteBack"/>).
/// </summary>
internal sealed class HashingTeeStream(Stream source, Stream target, long maxBytes, WriteBack? writeBack = null) : Stream
{
    /// <summary>The drain's piece: hashed and written at once, written while it is hashed.</summary>
    public const int DrainBufferSize = 1024 * 1024;

    private readonly IncrementalHash _sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly IncrementalHash _sha1 = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
    private readonly IncrementalHash _md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);

    public long BytesRead { get; private set; }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await source.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
        if (read == 0)
        {
            return 0;
        }
        BytesRead += read;
        if (BytesRead > maxBytes)
        {
            throw new PackageTooLargeException(maxBytes);
        }
        var chunk = buffer[..read];
        var write = WriteToTargetAsync(chunk, cancellationToken);
        _sha256.AppendData(chunk.Span);
        _sha1.AppendData(chunk.Span);
        _md5.AppendData(chunk.Span);
        await write;
        writeBack?.Written(BytesRead);
        return read;
    }

    private async Task WriteToTargetAsync(ReadOnlyMemory<byte> chunk, CancellationToken cancellationToken)
    {
        try
        {
            await target.WriteAsync(chunk, cancellationToken);
        }
        catch (IOException e)
        {
            throw new PackageStorageException(e);
        }
    }

    /// <summary>Reads (and so stores and hashes) everything that is left.</summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[DrainBufferSize];
        while (await ReadAsync(buffer, cancellationToken) > 0)
        {
        }
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
