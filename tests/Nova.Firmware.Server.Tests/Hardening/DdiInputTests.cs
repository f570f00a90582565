using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Nova.Firmware.Domain.Devices;
using Nova.Firmware.Persistence;
using Nova.Firmware.Protocols.Ddi;
using Nova.Firmware.Server.Tests.Builders;
using Nova.Firmware.Server.Tests.Ddi;
using Nova.Firmware.Server.Tests.Infrastructure;

namespace Nova.Firmware.Server.Tests.Hardening;

/// <summary>What devices report is checked like operator input; the DDI path's tenant, ids and links.</summary>
public sealed class DdiInputTests
{
    private static async Task<(NovaServer Server, Device Device, HttpClient Client, string Token)> EnrolledAsync(DatabaseProvider provider,
        IReadOnlyDictionary<string, string>? settings = null)
    {
        var server = await NovaServer.StartAsync(provider, settings: settings ?? new Dictionary<string, string> { ["Nova:Engine:RunLoops"] = "false" });
        var device = FleetBuilder.Gateway();
        var ddi = await DdiFixture.EnrolAsync(server, device, checkIn: false);
        var client = server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("TargetToken", ddi.Token);
        return (server, device, client, ddi.Token);
    }

    private static async Task<Device> StoredAsync(NovaServer server, Guid id)
    {
        await using var scope = server.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<FirmwareDbContext>().Set<Device>().AsNoTracking().SingleAsync(d => d.Id == id);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task ConfigData_BreaksARule_400NamingTheAttributeAndNothingStored(DatabaseProvider provider)
    {
        var (server, device, client, _) = await EnrolledAsync(provider);
        await using var _server = server;
        using var _client = client;
        var cases = new (Dictionary<string, string> Data, string Field)[]
        {
            (new() { ["vendor"] = new string('v', 101) }, "data.vendor"),
            (new() { ["model"] = "AX\u0007500" }, "data.model"),
            (new() { ["bootMode"] = new string('b', 31) }, "data.bootMode"),
            (new() { ["freeBytes"] = "2000", ["totalBytes"] = "1000" }, "data.freeBytes"),
            (new() { ["freeBytes"] = "-1" }, "data.freeBytes"),
            (new() { ["powerFeed"] = "poe-1:5000" }, "data.powerFeed"),
        };
        foreach (var (data, field) in cases)
        {
            var response = await client.PutAsJsonAsync($"/DEFAULT/controller/v1/{device.ControllerId}/configData", new DdiConfigData(data));

            var errors = await ProblemAssert.IsValidationProblemAsync(response);
            Assert.Contains(field, errors.Keys);
        }
        var stored = await StoredAsync(server, device.Id);
        Assert.Equal("Acme", stored.Vendor);
        Assert.Null(stored.Storage.FreeBytes);
        Assert.Null(stored.Health.LastSeenAt);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task ConfigData_NulInValue_400NamingTheField(DatabaseProvider provider)
    {
        var (server, device, client, _) = await EnrolledAsync(provider);
        await using var _server = server;
        using var _client = client;

        var response = await client.PutAsync($"/DEFAULT/controller/v1/{device.ControllerId}/configData",
            new StringContent("{\"data\":{\"vendor\":\"Ac\\u0000me\"}}", Encoding.UTF8, "application/json"));

        var errors = await ProblemAssert.IsValidationProblemAsync(response);
        Assert.Contains("data.vendor", errors.Keys);
        Assert.Equal("Acme", (await StoredAsync(server, device.Id)).Vendor);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task ConfigData_Valid_StillMerged(DatabaseProvider provider)
    {
        var (server, device, client, _) = await EnrolledAsync(provider);
        await using var _server = server;
        using var _client = client;

        var response = await client.PutAsJsonAsync($"/DEFAULT/controller/v1/{device.ControllerId}/configData",
            new DdiConfigData(new Dictionary<string, string> { ["freeBytes"] = "1000", ["totalBytes"] = "2000", ["powerFeed"] = "poe-1:7" }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var stored = await StoredAsync(server, device.Id);
        Assert.Equal(1000, stored.Storage.FreeBytes);
        Assert.Equal(7, stored.PowerFeed.Port);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task Feedback_OverSizeLimit_413AndNothingStored(DatabaseProvider provider)
    {
        var (server, device, client, _) = await EnrolledAsync(provider);
        await using var _server = server;
        using var _client = client;
        var package = await server.AddPackageAsync(new byte[100]);
        var jobId = await DdiFixture.StartJobAsync(server, device.Id, package.Id);
        var details = string.Join(",", Enumerable.Range(0, 300).Select(_ => $"\"{new string('d', 4000)}\""));
        var body = $"{{\"id\":\"{jobId}\",\"status\":{{\"execution\":\"proceeding\",\"result\":{{\"finished\":\"none\"}},\"details\":[{details}]}}}}";

        var response = await client.PostAsync($"/DEFAULT/controller/v1/{device.ControllerId}/deploymentBase/{jobId}/feedback",
            new StringContent(body, Encoding.UTF8, "application/json"));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        var job = await DdiFixture.JobAsync(server, jobId);
        Assert.DoesNotContain(job.GetProperty("timeline").EnumerateArray(), e => e.GetProperty("kind").GetString() == "feedback");
    }

    [Theory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task Feedback_UnknownExecution_400NamingIt(DatabaseProvider provider)
    {
        var (server, device, client, _) = await EnrolledAsync(provider);
        await using var _server = server;
        using var _client = client;
        var package = await server.AddPackageAsync(new byte[100]);
        var jobId = await DdiFixture.StartJobAsync(server, device.Id, package.Id);

        var response = await client.PostAsync($"/DEFAULT/controller/v1/{device.ControllerId}/deploymentBase/{jobId}/feedback",
            new StringContent("{\"status\":{\"execution\":\"exploded\",\"result\":{\"finished\":\"none\"}}}", Encoding.UTF8, "application/json"));

        var errors = await ProblemAssert.IsValidationProblemAsync(response);
        Assert.Contains("status.execution", errors.Keys);
    }

    [Fact]
    public async Task Poll_OtherTenant_404()
    {
        var (server, device, client, _) = await EnrolledAsync(DatabaseProvider.Sqlite);
        await using var _server = server;
        using var _client = client;

        var response = await client.GetAsync($"/OTHER/controller/v1/{device.ControllerId}");

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/default/controller/v1/{device.ControllerId}")).StatusCode);
    }

    [Theory]
    [InlineData("cam%2F..%2F..%2Fx")]
    [InlineData("%3Cscript%3E")]
    [InlineData("a%20b")]
    [InlineData("-starts-with-dash")]
    public async Task AutoRegister_NotAPlainIdentifier_400AndNoDevice(string controllerId)
    {
        await using var server = await NovaServer.StartAsync(settings: new Dictionary<string, string>
        {
            ["Nova:Ddi:GatewayToken"] = "gateway-secret-0123456789", ["Nova:Ddi:AutoRegister"] = "true", ["Nova:Engine:RunLoops"] = "false",
        });
        using var client = server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("GatewayToken", "gateway-secret-0123456789");

        var response = await client.GetAsync($"/DEFAULT/controller/v1/{controllerId}");

        var errors = await ProblemAssert.IsValidationProblemAsync(response);
        Assert.Contains("controllerId", errors.Keys);
        await using var scope = server.Services.CreateAsyncScope();
        Assert.Equal(0, await scope.ServiceProvider.GetRequiredService<FirmwareDbContext>().Set<Device>().CountAsync());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/DEFAULT/controller/v1/gw-00:11:22.a_b")).StatusCode);
    }

    [Fact]
    public async Task Poll_PublicBaseUrlSet_LinksIgnoreHostHeader()
    {
        var (server, device, client, _) = await EnrolledAsync(DatabaseProvider.Sqlite, new Dictionary<string, string>
        {
            ["Nova:Ddi:PublicBaseUrl"] = "https://updates.example.com/", ["Nova:Engine:RunLoops"] = "false",
        });
        await using var _server = server;
        using var _client = client;
        var request = new HttpRequestMessage(HttpMethod.Get, $"/DEFAULT/controller/v1/{device.ControllerId}");
        request.Headers.Host = "attacker.example";

        var body = await (await client.SendAsync(request)).Content.ReadFromJsonAsync<JsonElement>();

        var href = body.GetProperty("_links").GetProperty("configData").GetProperty("href").GetString();
        Assert.StartsWith("https://updates.example.com/DEFAULT/controller/v1/", href, StringComparison.Ordinal);
    }
}
