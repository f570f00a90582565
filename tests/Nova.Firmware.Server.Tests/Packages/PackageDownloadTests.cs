using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Nova.Firmware.Server.Tests.Infrastructure;

namespace Nova.Firmware.Server.Tests.Packages;

public sealed class PackageDownloadTests
{
    private static async Task<(NovaServer Server, HttpClient Client, byte[] Content, string Url, string Sha256)> ImportAsync()
    {
        var server = await NovaServer.StartAsync();
        var client = server.CreateAdminClient();
        var upload = new PackageUpload(PackageUpload.RandomBytes(100_000));
        var response = await client.PostAsync("/api/v1/packages", upload.Build());
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (server, client, upload.Content, body.GetProperty("contentUrl").GetString()!, body.GetProperty("sha256").GetString()!);
    }

    [Fact]
    public async Task Download_WholeFile_ReturnsBytesWithSha256ETag()
    {
        var (server, client, content, url, sha256) = await ImportAsync();
        await using var _ = server;

        var response = await client.GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(content, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal($"\"{sha256}\"", response.Headers.ETag?.ToString());
        Assert.Equal("bytes", Assert.Single(response.Headers.AcceptRanges));
        Assert.Equal("c200-1.0.0.bin", response.Content.Headers.ContentDisposition?.FileName);
    }

    [Fact]
    public async Task Download_FirstBytes_Returns206WithContentRange()
    {
        var (server, client, content, url, _) = await ImportAsync();
        await using var _ = server;

        var response = await client.SendAsync(Get(url, r => r.Headers.Range = new RangeHeaderValue(0, 99)));

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal($"bytes 0-99/{content.Length}", response.Content.Headers.ContentRange?.ToString());
        Assert.Equal(content[..100], await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Download_FromOffsetToEnd_ResumesAsSwUpdateDoes()
    {
        var (server, client, content, url, _) = await ImportAsync();
        await using var _ = server;

        var response = await client.SendAsync(Get(url, r => r.Headers.Range = new RangeHeaderValue(60_000, null)));

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal($"bytes 60000-{content.Length - 1}/{content.Length}", response.Content.Headers.ContentRange?.ToString());
        Assert.Equal(content[60_000..], await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Download_SuffixRange_ReturnsLastBytes()
    {
        var (server, client, content, url, _) = await ImportAsync();
        await using var _ = server;

        var response = await client.SendAsync(Get(url, r => r.Headers.TryAddWithoutValidation("Range", "bytes=-500")));

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(content[^500..], await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Download_RangeBeyondEnd_Returns416()
    {
        var (server, client, content, url, _) = await ImportAsync();
        await using var _ = server;

        var response = await client.SendAsync(Get(url, r => r.Headers.Range = new RangeHeaderValue(content.Length + 10, null)));

        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, response.StatusCode);
        Assert.Equal($"bytes */{content.Length}", response.Content.Headers.ContentRange?.ToString());
    }

    [Fact]
    public async Task Download_IfNoneMatchCurrentETag_Returns304()
    {
        var (server, client, _, url, sha256) = await ImportAsync();
        await using var _ = server;

        var response = await client.SendAsync(Get(url, r => r.Headers.IfNoneMatch.Add(new EntityTagHeaderValue($"\"{sha256}\""))));

        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
    }

    [Fact]
    public async Task Download_IfRangeWithOtherETag_ReturnsWholeFile()
    {
        var (server, client, content, url, sha256) = await ImportAsync();
        await using var _ = server;

        var stale = await client.SendAsync(Get(url, r =>
        {
            r.Headers.Range = new RangeHeaderValue(0, 9);
            r.Headers.IfRange = new RangeConditionHeaderValue(new EntityTagHeaderValue($"\"{new string('0', 64)}\""));
        }));
        var current = await client.SendAsync(Get(url, r =>
        {
            r.Headers.Range = new RangeHeaderValue(0, 9);
            r.Headers.IfRange = new RangeConditionHeaderValue(new EntityTagHeaderValue($"\"{sha256}\""));
        }));

        Assert.Equal(HttpStatusCode.OK, stale.StatusCode);
        Assert.Equal(content.Length, (await stale.Content.ReadAsByteArrayAsync()).Length);
        Assert.Equal(HttpStatusCode.PartialContent, current.StatusCode);
    }

    [Fact]
    public async Task Download_UnknownPackage_Returns404Problem()
    {
        await using var server = await NovaServer.StartAsync();

        var response = await server.CreateAdminClient().GetAsync($"/api/v1/packages/{Guid.NewGuid()}/content");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Download_WithoutCredentials_Returns401()
    {
        var (server, _, _, url, _) = await ImportAsync();
        await using var _ = server;

        Assert.Equal(HttpStatusCode.Unauthorized, (await server.CreateClient().GetAsync(url)).StatusCode);
    }

    private static HttpRequestMessage Get(string url, Action<HttpRequestMessage> configure)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        configure(request);
        return request;
    }
}
