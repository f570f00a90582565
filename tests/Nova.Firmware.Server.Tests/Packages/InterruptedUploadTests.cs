using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Nova.Firmware.Server.Tests.Infrastructure;

namespace Nova.Firmware.Server.Tests.Packages;

/// <summary>Uploads that end early, over real sockets: nothing may be stored, no temporary file may stay.</summary>
public sealed class InterruptedUploadTests
{
    [Fact]
    public async Task Import_ContentLengthLargerThanSent_StoresNothing()
    {
        await using var server = await NovaServer.StartKestrelAsync();
        var upload = new PackageUpload(PackageUpload.RandomBytes(200_000));
        var form = upload.Build();
        var body = await form.ReadAsByteArrayAsync();
        var contentType = form.Headers.ContentType!.ToString();

        using (var socket = new TcpClient())
        {
            await socket.ConnectAsync(IPAddress.Loopback, server.BaseAddress.Port);
            var stream = socket.GetStream();
            var auth = Convert.ToBase64String(Encoding.UTF8.GetBytes($"admin:{NovaServer.AdminPassword}"));
            var head = $"POST /api/v1/packages HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Basic {auth}\r\n" +
                       $"Content-Type: {contentType}\r\nContent-Length: {body.Length + 1_000_000}\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
            await stream.WriteAsync(body.AsMemory(0, body.Length / 2));
            await stream.FlushAsync();
            await WaitForTempFileAsync(server); // the server is streaming the file part now
        }

        await server.AssertNothingStoredEventuallyAsync();
    }

    [Fact]
    public async Task Import_ClientStreamFailsMidway_StoresNothing()
    {
        await using var server = await NovaServer.StartKestrelAsync();
        using var client = new HttpClient { BaseAddress = server.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"admin:{NovaServer.AdminPassword}")));
        var form = new PackageUpload(PackageUpload.RandomBytes(500_000)).Build();
        var body = await form.ReadAsByteArrayAsync();
        var content = new StreamContent(new FailingStream(body, failAfter: body.Length / 2, () => WaitForTempFileAsync(server)));
        content.Headers.ContentType = form.Headers.ContentType;

        await Assert.ThrowsAnyAsync<Exception>(() => client.PostAsync("/api/v1/packages", content));

        await server.AssertNothingStoredEventuallyAsync();
    }

    private static async Task WaitForTempFileAsync(NovaServer server)
    {
        // A deadline, not a count: a fresh server's first request (password hashing included) can be slow.
        var until = DateTime.UtcNow.AddSeconds(30);
        while (server.TempFiles().Length == 0 && DateTime.UtcNow < until)
        {
            await Task.Delay(50);
        }
        Assert.NotEmpty(server.TempFiles());
    }

    /// <summary>Gives its bytes up to a point, waits for a condition, then fails as a broken client would.</summary>
    private sealed class FailingStream(byte[] data, int failAfter, Func<Task> beforeFailing) : Stream
    {
        private int _position;

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_position >= failAfter)
            {
                await beforeFailing();
                throw new IOException("simulated client failure");
            }
            var n = Math.Min(Math.Min(buffer.Length, 16 * 1024), failAfter - _position);
            data.AsMemory(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
