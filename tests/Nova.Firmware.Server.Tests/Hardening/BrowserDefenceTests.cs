using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Nova.Firmware.Domain.Devices;
using Nova.Firmware.Persistence;
using Nova.Firmware.Server.Tests.Devices;
using Nova.Firmware.Server.Tests.Infrastructure;

namespace Nova.Firmware.Server.Tests.Hardening;

/// <summary>Browsers: no cross-site state changes, no Basic prompt, security headers everywhere.</summary>
public sealed class BrowserDefenceTests
{
    private static async Task<int> DeviceCountAsync(NovaServer server)
    {
        await using var scope = server.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<FirmwareDbContext>().Set<Device>().CountAsync();
    }

    private static HttpRequestMessage CreateDevice(string? origin = null, string? fetchSite = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/devices") { Content = JsonContent.Create(DeviceRequestBuilder.Camera()) };
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }
        if (fetchSite is not null)
        {
            request.Headers.Add("Sec-Fetch-Site", fetchSite);
        }
        return request;
    }

    [Theory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task Post_ForeignOrigin_RefusedAndNothingStored(DatabaseProvider provider)
    {
        await using var server = await NovaServer.StartAsync(provider);
        using var admin = server.CreateAdminClient();

        var response = await admin.SendAsync(CreateDevice(origin: "https://attacker.example"));

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Forbidden);
        Assert.Equal("Cross-site request refused", problem.GetProperty("title").GetString());
        Assert.Equal(0, await DeviceCountAsync(server));
    }

    [Theory]
    [InlineData("null", null)]
    [InlineData(null, "cross-site")]
    [InlineData(null, "same-site")]
    public async Task FormPost_FromAnotherSite_Refused(string? origin, string? fetchSite)
    {
        await using var server = await NovaServer.StartAsync();
        using var admin = server.CreateAdminClient();
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/devices/import")
        {
            Content = new StringContent("vendor,model,hardwareRevision,soc,serial,kind,protocol\nA,B,C,D,E,camera,onvif\n", Encoding.UTF8, "text/plain"),
        };
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }
        if (fetchSite is not null)
        {
            request.Headers.Add("Sec-Fetch-Site", fetchSite);
        }

        var response = await admin.SendAsync(request);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Forbidden);
        Assert.Equal(0, await DeviceCountAsync(server));
    }

    [Fact]
    public async Task Post_OwnOriginOrAllowedOriginOrScript_Accepted()
    {
        await using var server = await NovaServer.StartAsync(settings: new Dictionary<string, string> { ["Nova:Security:AllowedOrigins:0"] = "https://console.example" });
        using var admin = server.CreateAdminClient();

        Assert.Equal(HttpStatusCode.Created, (await admin.SendAsync(CreateDevice(origin: "http://localhost", fetchSite: "same-origin"))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await admin.SendAsync(CreateDevice(origin: "https://console.example"))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await admin.SendAsync(CreateDevice())).StatusCode);
        Assert.Equal(3, await DeviceCountAsync(server));
    }

    [Fact]
    public async Task Unauthorized_BrowserRequest_NoBasicChallenge()
    {
        await using var server = await NovaServer.StartAsync();
        using var client = server.CreateClient();
        var browser = new HttpRequestMessage(HttpMethod.Get, "/api/v1/devices");
        browser.Headers.Add("Sec-Fetch-Mode", "cors");

        var fromBrowser = await client.SendAsync(browser);
        var fromScript = await client.GetAsync("/api/v1/devices");

        await ProblemAssert.IsProblemAsync(fromBrowser, HttpStatusCode.Unauthorized);
        Assert.DoesNotContain("Basic", fromBrowser.Headers.WwwAuthenticate.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Bearer", fromBrowser.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Contains("Basic", fromScript.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenApiDocument_DeclaresBothSignInSchemes()
    {
        await using var server = await NovaServer.StartAsync();
        using var client = server.CreateClient();

        var document = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var schemes = document.GetProperty("components").GetProperty("securitySchemes");
        Assert.Equal("basic", schemes.GetProperty("basic").GetProperty("scheme").GetString());
        Assert.Equal("bearer", schemes.GetProperty("apiKey").GetProperty("scheme").GetString());
    }

    [Theory]
    [InlineData("/api/index.html")]
    [InlineData("/openapi/v1.json")]
    [InlineData("/healthz")]
    [InlineData("/articles")]
    [InlineData("/articles/no-such-article")]
    [InlineData("/api/v1/devices")]
    [InlineData("/DEFAULT/controller/v1/nobody")]
    public async Task AnyPage_HasSecurityHeaders(string path)
    {
        await using var server = await NovaServer.StartAsync();
        using var client = server.CreateClient();

        var response = await client.GetAsync(path);

        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        var policy = response.Headers.TryGetValues("Content-Security-Policy", out var values) ? values.Single() : "";
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
    }
}
