using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Nova.Firmware.Server.Tests.Infrastructure;

namespace Nova.Firmware.Server.Tests.Hardening;

/// <summary>Limits answered as problem documents over real sockets, where Kestrel's own limits apply.</summary>
public sealed class RequestLimitTests
{
    [Fact]
    public async Task Get_RequestLineOverLimit_414Problem()
    {
        await using var server = await NovaServer.StartKestrelAsync(settings: new Dictionary<string, string> { ["Nova:Engine:RunLoops"] = "false" });
        using var client = new HttpClient { BaseAddress = server.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"admin:{NovaServer.AdminPassword}")));

        var response = await client.GetAsync("/api/v1/devices?q=" + new string('x', 20_000));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.RequestUriTooLong);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/devices?q=" + new string('x', 7_000))).StatusCode);
    }
}
