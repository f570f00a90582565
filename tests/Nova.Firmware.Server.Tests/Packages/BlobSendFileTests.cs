using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Nova.Firmware.Server.Packages;
using Nova.Firmware.Server.Tests.Infrastructure;

namespace Nova.Firmware.Server.Tests.Packages;

/// <summary>
/// Package downloads over real Kestrel sockets, with a file of many send chunks and a ragged end:
/// whole files, ranges across chunk borders, HEAD, parallel downloads and a client that leaves early.
/// </summary>
public sealed class BlobSendFileTests
{
    private const int Size = (16 * BlobSendFile.ChunkSize) + 4321;

    private static async Task<(NovaServer Server, HttpClient Client, byte[] Content, string Url)> ImportAsync()
    {
        var server = await NovaServer.StartKestrelAsync();
        var client = new HttpClient { BaseAddress = server.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"admin:{NovaServer.AdminPassword}")));
        var upload = new PackageUpload(PackageUpload.RandomBytes(Size));
        var response = await client.PostAsync("/api/v1/packages", upload.Build());
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (server, client, upload.Content, body.GetProperty("contentUrl").GetString()!);
    }

    [Fact]
    public async Task Download_ManyChunks_SendsTheExactBytes()
    {
        var (server, client, content, url) = await ImportAsync();
        await using var _ = server;
        using var __ = client;

        using var response = await client.GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Size, response.Content.Headers.ContentLength);
        Assert.Equal(content, await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(BlobSendFile.ChunkSize - 1, BlobSendFile.ChunkSize)]
    [InlineData(1000, (3 * BlobSendFile.ChunkSize) + 17)]
    [InlineData(Size - 10, Size - 1)]
    public async Task Download_RangeAcrossChunkBorders_SendsExactlyThatRange(long from, long to)
    {
        var (server, client, content, url) = await ImportAsync();
        await using var _ = server;
        using var __ = client;
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Range = new RangeHeaderValue(from, to);

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal($"bytes {from}-{to}/{Size}", response.Content.Headers.ContentRange?.ToString());
        Assert.Equal(content[(int)from..((int)to + 1)], await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Head_GivesTheSizeAndNoBody()
    {
        var (server, client, _, url) = await ImportAsync();
        await using var _ = server;
        using var __ = client;

        using var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, url));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Size, response.Content.Headers.ContentLength);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Download_ClientLeavesEarly_OthersStillGetTheExactBytes()
    {
        var (server, client, content, url) = await ImportAsync();
        await using var _ = server;
        using var __ = client;

        // Read the first bytes and go away mid-response.
        using (var early = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead))
        {
            await using var stream = await early.Content.ReadAsStreamAsync();
            var first = new byte[1000];
            await stream.ReadExactlyAsync(first);
            Assert.Equal(content[..1000], first);
        }

        var downloads = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => client.GetByteArrayAsync(url)));
        Assert.All(downloads, d => Assert.Equal(content, d));
    }

    [Fact]
    public async Task SendFile_ReadsIntoTheServersPoolBlocks_NotTheSharedArrayPool()
    {
        // A request bigger than the pool's block sends the response pipe to the shared array pool,
        // which under many downloads allocates a new large array per piece.
        var path = Path.GetTempFileName();
        var content = PackageUpload.RandomBytes(Size);
        await File.WriteAllBytesAsync(path, content);
        try
        {
            var pool = new CountingPool();
            var pipe = new Pipe(new PipeOptions(pool, pauseWriterThreshold: 0));
            var received = Task.Run(async () =>
            {
                using var copy = new MemoryStream();
                await pipe.Reader.CopyToAsync(copy);
                return copy.ToArray();
            });

            await new BlobSendFile(new PipeBody(pipe.Writer)).SendFileAsync(path, 0, null);
            await pipe.Writer.CompleteAsync();

            Assert.Equal(content, await received);
            Assert.True(pool.RentedBytes >= Size, $"{pool.RentedBytes} bytes of pool blocks for a {Size}-byte file");
        }
        finally
        {
            File.Delete(path);
        }
    }

    private sealed class CountingPool : MemoryPool<byte>
    {
        private long _rented;

        public long RentedBytes => Interlocked.Read(ref _rented);

        public override int MaxBufferSize => Nova.Firmware.Server.Hosting.LargeBlockMemoryPool.BlockSize;

        public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
        {
            Interlocked.Add(ref _rented, MaxBufferSize);
            return new Owner(new byte[MaxBufferSize]);
        }

        protected override void Dispose(bool disposing)
        {
        }

        private sealed class Owner(byte[] array) : IMemoryOwner<byte>
        {
            public Memory<byte> Memory => array;

            public void Dispose()
            {
            }
        }
    }

    /// <summary>A response body that is only a pipe, as Kestrel's is underneath.</summary>
    private sealed class PipeBody(PipeWriter writer) : IHttpResponseBodyFeature
    {
        public Stream Stream => throw new NotSupportedException();

        public PipeWriter Writer => writer;

        public void DisableBuffering()
        {
        }

        public Task StartAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

        public Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task CompleteAsync() => writer.CompleteAsync().AsTask();
    }
}
