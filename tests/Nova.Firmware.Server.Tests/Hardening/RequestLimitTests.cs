using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Nova.Firmware.Persistence;
using Nova.Firmware.Server.Hardening;
using Nova.Firmware.Server.Tests.Builders;
using Nova.Firmware.Server.Tests.Ddi;
using Nova.Firmware.Server.Tests.Infrastructure;

namespace Nova.Firmware.Server.Tests.Hardening;

/// <summary>Limits answered as problem documents over real sockets, where Kestrel's own limits apply.</summary>
public sealed class RequestLimitTests
{
    private static async Task<(NovaServer Server, HttpClient Client)> StartAsync(DatabaseProvider provider = DatabaseProvider.Sqlite)
    {
        var server = await NovaServer.StartKestrelAsync(provider, settings: new Dictionary<string, string> { ["Nova:Engine:RunLoops"] = "false" });
        var client = new HttpClient { BaseAddress = server.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"admin:{NovaServer.AdminPassword}")));
        return (server, client);
    }

    [Fact]
    public async Task Get_RequestLineOverLimit_414Problem()
    {
        var (server, client) = await StartAsync();
        await using var _ = server;
        using var __ = client;

        var response = await client.GetAsync("/api/v1/devices?q=" + new string('x', 20_000));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.RequestUriTooLong);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/devices?q=" + new string('x', 7_000))).StatusCode);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task Get_RequestLineOver64KB_414ProblemNamingTheLimit(DatabaseProvider provider)
    {
        var (server, client) = await StartAsync(provider);
        await using var _ = server;
        using var __ = client;

        // Over Kestrel's default 64 KB limit too, which would answer with an empty body.
        var response = await client.GetAsync("/api/v1/devices?q=" + new string('x', 70_000));

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.RequestUriTooLong);
        Assert.Contains($"{RequestLineGuard.MaxRequestLineLength} characters", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_RequestLineOverKestrelsRaisedLimit_StillRefused()
    {
        var (server, client) = await StartAsync();
        await using var _ = server;
        using var __ = client;

        // The limit Kestrel keeps is not lifted: past it Kestrel answers itself (414, no body).
        var response = await client.GetAsync("/api/v1/devices?q=" + new string('x', RequestLineGuard.KestrelRequestLineLimit + 1));

        Assert.Equal(HttpStatusCode.RequestUriTooLong, response.StatusCode);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task Get_HeadersOverLimit_431ProblemNamingTheLimit(DatabaseProvider provider)
    {
        var (server, client) = await StartAsync(provider);
        await using var _ = server;
        using var __ = client;
        HttpRequestMessage WithHeaders(int count, int valueLength)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/devices");
            for (var i = 0; i < count; i++)
            {
                request.Headers.TryAddWithoutValidation($"X-Filler-{i}", new string('h', valueLength));
            }
            return request;
        }

        // Over the 32 KB total (Kestrel's default, which would answer with an empty body), and over 100 lines.
        using var large = await client.SendAsync(WithHeaders(1, 40_000));
        using var many = await client.SendAsync(WithHeaders(150, 10));
        using var fine = await client.SendAsync(WithHeaders(50, 400));

        var problem = await ProblemAssert.IsProblemAsync(large, HttpStatusCode.RequestHeaderFieldsTooLarge);
        Assert.Contains($"{RequestHeaderGuard.MaxHeadersTotalSize} bytes", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await ProblemAssert.IsProblemAsync(many, HttpStatusCode.RequestHeaderFieldsTooLarge);
        Assert.Equal(HttpStatusCode.OK, fine.StatusCode);
        // Past Kestrel's raised limit Kestrel still refuses by itself.
        using var huge = await client.SendAsync(WithHeaders(1, RequestHeaderGuard.KestrelHeadersTotalLimit + 1));
        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, huge.StatusCode);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task DdiArtifact_RangeBeyondTheFile_416Problem(DatabaseProvider provider)
    {
        await using var server = await NovaServer.StartAsync(provider, settings: NovaServer.FastEngine);
        var device = FleetBuilder.Gateway();
        var ddi = await DdiFixture.EnrolAsync(server, device);
        var package = await server.AddPackageAsync(RandomNumberGenerator.GetBytes(10_000));
        var jobId = await DdiFixture.StartJobAsync(server, device.Id, package.Id);
        await DdiFixture.JobInStatusAsync(server, jobId, "transferring");

        using var response = await ddi.DownloadAsync($"{ddi.Base}/softwaremodules/{package.Id}/artifacts/{package.FileName}", from: 10_000);

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.RequestedRangeNotSatisfiable);
        Assert.Equal("Range not satisfiable", problem.GetProperty("title").GetString());
        Assert.Equal("bytes */10000", response.Content.Headers.ContentRange?.ToString());
    }
}
