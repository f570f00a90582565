using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Nova.Firmware.Persistence;
using Nova.Firmware.Server.Tests.Builders;
using Nova.Firmware.Server.Tests.Infrastructure;

namespace Nova.Firmware.Server.Tests.Rollouts;

/// <summary>The rollout API: preview, create with validation, read progress, steer it, roles, on both databases.</summary>
public sealed class RolloutApiTests
{
    public static TheoryData<DatabaseProvider> Databases => TestDatabases.All;

    private static async Task<(NovaServer Server, Guid PackageId, List<Guid> Devices)> FleetAsync(DatabaseProvider database = DatabaseProvider.Sqlite)
    {
        var server = await NovaServer.StartAsync(database);
        var devices = Enumerable.Range(0, 6).Select(i => FleetBuilder.Gateway($"gw-{i:D2}", revision: i == 5 ? "2.0" : "1.0")).ToList();
        await server.AddDevicesAsync(devices);
        var package = await server.AddPackageAsync(RandomNumberGenerator.GetBytes(10_000));
        return (server, package.Id, [.. devices.Select(d => d.Id)]);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Create_ThenStart_ProgressCountsEveryDeviceByWaveAndState(DatabaseProvider database)
    {
        var (server, packageId, _) = await FleetAsync(database);
        await using var _ = server;
        using var admin = server.CreateAdminClient();

        var created = await admin.PostAsJsonAsync("/api/v1/rollouts", new
        {
            name = "Acme 2.0.0",
            packageId,
            target = new { vendor = "acme", model = "GW-100" },
            strategy = new { canaryCount = 1, waveSize = 2, maxConcurrent = 10, window = (object?)null },
        });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var rollout = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = rollout.GetProperty("id").GetInt64();
        Assert.Equal($"/api/v1/rollouts/{id}", created.Headers.Location?.OriginalString);
        Assert.Equal("ready", rollout.GetProperty("status").GetString());
        Assert.Equal(3, rollout.GetProperty("waveCount").GetInt32());
        var progress = rollout.GetProperty("progress");
        Assert.Equal(6, progress.GetProperty("total").GetInt32());
        Assert.Equal(1, progress.GetProperty("unplanned").GetInt32());
        Assert.Equal(5, progress.GetProperty("byState").GetProperty("pending").GetInt32());
        Assert.Equal(1, progress.GetProperty("blockedByCheck").GetProperty("compatibility").GetInt32());
        Assert.Equal([1, 2, 2], progress.GetProperty("waves").EnumerateArray().Select(w => w.GetProperty("total").GetInt32()));

        var started = await admin.PostAsync($"/api/v1/rollouts/{id}/start", null);
        Assert.Equal(HttpStatusCode.OK, started.StatusCode);
        var again = await admin.PostAsync($"/api/v1/rollouts/{id}/start", null);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("application/problem+json", again.Content.Headers.ContentType?.MediaType);

        var running = await Eventually.GetAsync(() => admin.GetFromJsonAsync<JsonElement>($"/api/v1/rollouts/{id}"),
            r => r.GetProperty("progress").GetProperty("byState").GetProperty("active").GetInt32() == 1, TimeSpan.FromSeconds(20), "the canary's job to start");
        Assert.Equal("running", running.GetProperty("status").GetString());
        var devices = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/rollouts/{id}/devices?state=active");
        var canary = Assert.Single(devices.GetProperty("items").EnumerateArray());
        var jobId = canary.GetProperty("jobId").GetInt64();
        var job = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/jobs/{jobId}");
        Assert.Equal(packageId, job.GetProperty("packageId").GetGuid());

        var paused = await admin.PostAsync($"/api/v1/rollouts/{id}/pause", null);
        Assert.Equal(HttpStatusCode.OK, paused.StatusCode);
        Assert.Equal("paused", (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/rollouts/{id}")).GetProperty("status").GetString());
        var cancelled = await admin.PostAsync($"/api/v1/rollouts/{id}/cancel", null);
        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        // The four devices not started are cancelled at once; the canary's queued job had sent nothing, so it is cancelled too.
        var after = await Eventually.GetAsync(() => admin.GetFromJsonAsync<JsonElement>($"/api/v1/rollouts/{id}"),
            r => r.GetProperty("progress").GetProperty("byState").GetProperty("cancelled").GetInt32() == 5, TimeSpan.FromSeconds(20), "every planned device to be cancelled");
        Assert.Equal("cancelled", after.GetProperty("status").GetString());
        Assert.Equal(0, after.GetProperty("progress").GetProperty("byState").GetProperty("active").GetInt32());
    }

    [Fact]
    public async Task Create_InvalidStrategyAndTarget_ProblemNamesEachFieldAndStoresNothing()
    {
        var (server, packageId, _) = await FleetAsync();
        await using var _ = server;
        using var admin = server.CreateAdminClient();

        var response = await admin.PostAsJsonAsync("/api/v1/rollouts", new
        {
            name = "",
            packageId,
            target = new { },
            strategy = new { wavePercent = 150, maxConcurrent = 0, window = new { schedule = "every night", duration = "01:00:00", timeZone = "Mars/Olympus" } },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var errors = problem.GetProperty("errors");
        foreach (var field in new[] { "name", "target", "strategy.wavePercent", "strategy.maxConcurrent", "strategy.window" })
        {
            Assert.True(errors.TryGetProperty(field, out var _), $"no error for {field}: {errors}");
        }
        Assert.Contains(errors.GetProperty("strategy.window").EnumerateArray(), e => e.GetString()!.Contains("Mars/Olympus", StringComparison.Ordinal));
        var list = await admin.GetFromJsonAsync<JsonElement>("/api/v1/rollouts");
        Assert.Equal(0, list.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Create_UnknownPackageOrNoMatchingDevice_ValidationProblem()
    {
        var (server, packageId, _) = await FleetAsync();
        await using var _ = server;
        using var admin = server.CreateAdminClient();

        var unknown = await admin.PostAsJsonAsync("/api/v1/rollouts", new { name = "x", packageId = Guid.NewGuid(), target = new { vendor = "acme" } });
        var none = await admin.PostAsJsonAsync("/api/v1/rollouts", new { name = "x", packageId, target = new { site = "nowhere" } });

        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("packageIds[0]", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, none.StatusCode);
        Assert.Contains("No device matches", await none.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Preview_CountsPassBlockAndUnknownWithReasons_CreatesNothing()
    {
        var (server, packageId, _) = await FleetAsync();
        await using var _ = server;
        using var admin = server.CreateAdminClient();

        var response = await admin.PostAsJsonAsync("/api/v1/rollouts/preview", new { packageId, target = new { vendor = "Acme" } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var preview = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(6, preview.GetProperty("matching").GetInt32());
        Assert.Equal(1, preview.GetProperty("noPackage").GetInt32());
        var gate = preview.GetProperty("gate");
        Assert.Equal(6, gate.EnumerateObject().Sum(p => p.Value.GetInt32()));
        Assert.True(gate.GetProperty("block").GetInt32() >= 1);
        Assert.Contains(preview.GetProperty("reasons").EnumerateArray(), r => r.GetProperty("check").GetString() == "compatibility" && r.GetProperty("devices").GetInt32() == 1);
        Assert.Equal(0, (await admin.GetFromJsonAsync<JsonElement>("/api/v1/rollouts")).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Viewer_ReadsRolloutsButCannotCreateOrStartThem()
    {
        var (server, packageId, _) = await FleetAsync();
        await using var _ = server;
        using var admin = server.CreateAdminClient();
        var created = await admin.PostAsJsonAsync("/api/v1/rollouts", new { name = "r", packageId, target = new { vendor = "Acme" } });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        var (viewer, _) = await server.CreateUserClientAsync("viewer");

        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync($"/api/v1/rollouts/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsync($"/api/v1/rollouts/{id}/start", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsJsonAsync("/api/v1/rollouts", new { name = "v", packageId, target = new { vendor = "Acme" } })).StatusCode);
        Assert.Equal("ready", (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/rollouts/{id}")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Actions_UnknownRollout_NotFoundProblem()
    {
        var (server, _, _) = await FleetAsync();
        await using var _ = server;
        using var admin = server.CreateAdminClient();

        var response = await admin.PostAsync("/api/v1/rollouts/999/pause", null);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
