using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Nova.Firmware.EndToEnd.Tests.Nova;

/// <summary>
/// A network fault in front of the server, for tests: every artifact response is cut after
/// <see cref="CutAfterBytes"/> bytes by aborting the connection, as a flaky link would. The server's
/// own code is untouched; this sits before it in the pipeline.
/// </summary>
public sealed class ArtifactCutter(int cutAfterBytes) : IStartupFilter
{
    public int CutAfterBytes { get; } = cutAfterBytes;

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, nextMiddleware) =>
        {
            if (!context.Request.Path.Value!.Contains("/artifacts/", StringComparison.Ordinal))
            {
                await nextMiddleware(context);
                return;
            }
            var original = context.Response.Body;
            await using var cutter = new CuttingStream(original, CutAfterBytes, context);
            context.Response.Body = cutter;
            try
            {
                await nextMiddleware(context);
            }
            catch (OperationCanceledException)
            {
                // the connection was aborted on purpose
            }
            finally
            {
                context.Response.Body = original;
            }
        });
        next(app);
    };

    private sealed class CuttingStream(Stream inner, int limit, HttpContext context) : Stream
    {
        private long _written;

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _written; set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count).GetAwaiter().GetResult();

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var room = (int)Math.Max(0, limit - _written);
            if (room > 0)
            {
                var part = buffer[..Math.Min(room, buffer.Length)];
                await inner.WriteAsync(part, cancellationToken);
                _written += part.Length;
            }
            if (_written >= limit && buffer.Length > room)
            {
                await inner.FlushAsync(cancellationToken);
                // Let the bytes reach the client before the connection drops (an abort resets it,
                // and a reset can discard data still in flight).
                await Task.Delay(TimeSpan.FromMilliseconds(1500), CancellationToken.None);
                context.Abort();
                throw new OperationCanceledException("Connection cut by the test's network fault.");
            }
        }
    }
}
