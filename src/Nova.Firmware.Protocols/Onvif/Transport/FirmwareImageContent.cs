using System.Net;
using System.Net.Http.Headers;

namespace Nova.Firmware.Protocols.Onvif.Transport;

/// <summary>
/// The shared state of one image upload across HTTP attempts: how much has been sent. Once any
/// byte has left, the body is never sent again.
/// </summary>
internal sealed class FirmwareImageBody(Stream image, long length, IProgress<long>? progress)
{
    private long _sent;
    private int _started;

    public long Length { get; } = length;

    public long BytesSent => Interlocked.Read(ref _sent);

    public bool Started => Volatile.Read(ref _started) != 0;

    public HttpContent NewContent() => new FirmwareImageContent(this);

    internal async Task CopyToAsync(Stream target, CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException("The firmware image was about to be sent a second time; refused.");
        }

        var buffer = new byte[64 * 1024];
        while (BytesSent < Length)
        {
            var want = (int)Math.Min(buffer.Length, Length - BytesSent);
            var read = await image.ReadAsync(buffer.AsMemory(0, want), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new ImageStreamEndedException(BytesSent, Length);
            }

            await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            // Counted apart from the report: `progress?.Report(...)` would skip evaluating its argument.
            var sent = Interlocked.Add(ref _sent, read);
            progress?.Report(sent);
        }
    }
}

/// <summary>
/// The raw image as <c>application/octet-stream</c> with a known Content-Length, copied from the
/// caller's stream in 64 KiB pieces: never buffered whole, never rewound.
/// </summary>
internal sealed class FirmwareImageContent : HttpContent
{
    private readonly FirmwareImageBody _body;

    public FirmwareImageContent(FirmwareImageBody body)
    {
        _body = body;
        Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        Headers.ContentLength = body.Length;
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        _body.CopyToAsync(stream, CancellationToken.None);

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken) =>
        _body.CopyToAsync(stream, cancellationToken);

    protected override bool TryComputeLength(out long length)
    {
        length = _body.Length;
        return true;
    }
}
