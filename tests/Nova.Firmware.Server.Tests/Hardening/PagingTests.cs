using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Nova.Firmware.Persistence;
using Nova.Firmware.Server.Tests.Builders;
using Nova.Firmware.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Nova.Firmware.Server.Tests.Hardening;

/// <summary>
/// Every paged list refuses paging it cannot serve with a 400 naming the field: values that do not
/// parse, that overflow an int, that are out of range, and pages whose offset would overflow (refused,
/// never clamped). The lists are taken from the routing table, so a new one is covered too.
/// </summary>
public sealed class PagingTests(ITestOutputHelper output)
{
    public static readonly (string Query, string Field)[] BadPaging =
    [
        ("page=abc", "page"), ("page=1.5", "page"), ("page=%00", "page"), ("page=99999999999", "page"),
        ("page=0", "page"), ("page=-1", "page"), ("page=2147483647&pageSize=500", "page"), ("page=4294969&pageSize=500", "page"),
        ("pageSize=abc", "pageSize"), ("pageSize=99999999999", "pageSize"), ("pageSize=-1", "pageSize"), ("pageSize=0", "pageSize"),
        ("pageSize=501", "pageSize"),
    ];

    /// <summary>GET endpoints that take a page parameter, directly or through an [AsParameters] query.</summary>
    private static List<string> PagedLists(NovaServer server, long rolloutId) =>
        server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods.Contains("GET") == true)
            .Where(e => e.Metadata.GetOrderedMetadata<IParameterBindingMetadata>().Any(p => p.Name.Equals("page", StringComparison.OrdinalIgnoreCase)))
            .Select(e => "/" + e.RoutePattern.RawText!.TrimStart('/').TrimEnd('/'))
            .Where(path => !path.Contains('{', StringComparison.Ordinal) || path == "/api/v1/rollouts/{id:long}/devices")
            .Select(path => path.Replace("{id:long}", rolloutId.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal))
            .ToList();

    [Theory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task EveryPagedList_BadPaging_400NamingTheField(DatabaseProvider provider)
    {
        await using var server = await NovaServer.StartAsync(provider, settings: new Dictionary<string, string> { ["Nova:Engine:RunLoops"] = "false" });
        using var admin = server.CreateAdminClient();
        // A rollout of its own, so its device list reaches the paging check instead of "not found".
        await server.AddDevicesAsync([FleetBuilder.Gateway()]);
        var package = await server.AddPackageAsync(System.Security.Cryptography.RandomNumberGenerator.GetBytes(10_000));
        var created = await admin.PostAsJsonAsync("/api/v1/rollouts", new
        {
            name = "Paging", packageId = package.Id, target = new { vendor = "acme", model = "GW-100" },
            strategy = new { canaryCount = 1, waveSize = 2, maxConcurrent = 10, window = (object?)null },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var rolloutId = (await created.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetInt64();
        var lists = PagedLists(server, rolloutId);
        // Devices, packages, jobs, audit, rollouts and a rollout's devices, recovery runs, technician tasks.
        Assert.True(lists.Count >= 8, string.Join(", ", lists));

        var failures = new List<string>();
        var tried = 0;
        foreach (var list in lists)
        {
            // The last page whose offset still fits is served (empty), not refused: the limit is exact.
            using var lastPage = await admin.GetAsync($"{list}?page=4294968&pageSize=500");
            Assert.True(lastPage.StatusCode == HttpStatusCode.OK, $"GET {list}: {(int)lastPage.StatusCode}");
            foreach (var (query, field) in BadPaging)
            {
                tried++;
                using var response = await admin.GetAsync($"{list}?{query}");
                var body = await response.Content.ReadAsStringAsync();
                var named = response.StatusCode == HttpStatusCode.BadRequest
                    && response.Content.Headers.ContentType?.MediaType == "application/problem+json"
                    && System.Text.Json.JsonDocument.Parse(body).RootElement.TryGetProperty("errors", out var errors)
                    && errors.EnumerateObject().Any(e => e.Name == field);
                if (!named)
                {
                    failures.Add($"GET {list}?{query}: {(int)response.StatusCode} {body}");
                }
            }
        }
        output.WriteLine($"{provider}: {tried} bad paging queries on {lists.Count} lists, {tried - failures.Count} refused naming the field");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }
}
