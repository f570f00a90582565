namespace Nova.Firmware.Protocols.Tests.Onvif.Infrastructure;

/// <summary>A read-once stream, as a network or pipe source would be: it cannot be rewound and re-sent.</summary>
public sealed class NonSeekableStream(byte[] content) : Stream
{
    private readonly MemoryStream _inner = new(content);

    public int Reads { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        Reads++;
        return _inner.Read(buffer, offset, count);
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
