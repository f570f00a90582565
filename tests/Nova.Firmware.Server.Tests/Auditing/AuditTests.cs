using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Nova.Firmware.Domain.Devices;
using Nova.Firmware.Persistence;
using Nova.Firmware.Server.Auditing;
using Nova.Firmware.Server.Endpoints.Management;
using Nova.Firmware.Server.Endpoints.Management.Devices;
using Nova.Firmware.Server.Tests.Devices;
using Nova.Firmware.Server.Tests.Infrastructure;

namespace Nova.Firmware.Server.Tests.Auditing;

public sealed class AuditTests
{
    private static async Task<List<AuditEntryResponse>> AuditAsync(NovaServer server, string query = "")
    {
        using var admin = server.CreateAdminClient();
        return (await admin.GetFromJsonAsync<Paged<AuditEntryResponse>>("/api/v1/audit?pageSize=500&" + query))!.Items.ToList();
    }

    [Theory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task Mutation_Succeeded_IsRecordedWithActorActionTargetAndTime(DatabaseProvider provider)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-03-01T12:00:00Z"));
        await using var server = await NovaServer.StartAsync(provider, s => s.AddSingleton<TimeProvider>(clock));
        using var admin = server.CreateAdminClient();

        var created = await (await admin.PostAsJsonAsync("/api/v1/devices", DeviceRequestBuilder.Camera())).Content.ReadFromJsonAsync<DeviceResponse>();
        clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/devices/{created!.Id}")).StatusCode);

        var entries = await AuditAsync(server, "actor=admin&action=" + Uri.EscapeDataString("POST /api/v1/devices"));
        var create = Assert.Single(entries);
        Assert.Equal(("admin", "POST /api/v1/devices", $"/api/v1/devices/{created.Id}", 201, "succeeded"),
            (create.Actor, create.Action, create.Target, create.StatusCode, create.Outcome));
        Assert.Equal(DateTimeOffset.Parse("2026-03-01T12:00:00Z"), create.At);

        var delete = Assert.Single(await AuditAsync(server, "action=DELETE"));
        Assert.Equal(("DELETE /api/v1/devices/{id}", $"id={created.Id}", 204, "succeeded"), (delete.Action, delete.Target, delete.StatusCode, delete.Outcome));
        Assert.Equal(DateTimeOffset.Parse("2026-03-01T12:05:00Z"), delete.At);

        // Time window: from inclusive, to exclusive; the newest entry comes first.
        var window = await AuditAsync(server, "from=2026-03-01T12:01:00Z&to=2026-03-01T12:06:00Z");
        Assert.Equal([delete.Id], window.Select(e => e.Id));
        var all = await AuditAsync(server);
        Assert.Equal(all.OrderByDescending(e => e.At).ThenByDescending(e => e.Id).Select(e => e.Id), all.Select(e => e.Id));
    }

    [Fact]
    public async Task Mutation_FailedOrRefused_IsRecordedAsFailedOrDenied()
    {
        await using var server = await NovaServer.StartAsync();
        using var admin = server.CreateAdminClient();
        using var anonymous = server.CreateClient();
        using var wrongPassword = server.CreateBasicClient("admin", "wrong-password-here");
        var (viewer, viewerUser) = await server.CreateUserClientAsync("viewer");
        using var _viewer = viewer;

        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsJsonAsync("/api/v1/devices", DeviceRequestBuilder.Camera() with { Kind = "toaster" })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/v1/devices", DeviceRequestBuilder.Camera())).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrongPassword.DeleteAsync($"/api/v1/devices/{Guid.NewGuid()}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsJsonAsync("/api/v1/devices", DeviceRequestBuilder.Camera())).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync($"/api/v1/devices/{Guid.NewGuid()}")).StatusCode);

        var entries = (await AuditAsync(server, "action=" + Uri.EscapeDataString("POST /api/v1/devices"))).Concat(await AuditAsync(server, "action=DELETE")).ToList();
        Assert.Contains(entries, e => e is { Actor: "admin", StatusCode: 400, Outcome: "failed", Action: "POST /api/v1/devices" });
        Assert.Contains(entries, e => e is { Actor: "anonymous", StatusCode: 401, Outcome: "denied", Action: "POST /api/v1/devices" });
        Assert.Contains(entries, e => e is { Actor: "anonymous", StatusCode: 401, Outcome: "denied", Action: "DELETE /api/v1/devices/{id}", Detail: "credentials: Basic" });
        Assert.Contains(entries, e => e.Actor == viewerUser.UserName && e is { StatusCode: 403, Outcome: "denied" });
        Assert.Contains(entries, e => e is { Actor: "admin", StatusCode: 404, Outcome: "failed", Action: "DELETE /api/v1/devices/{id}" });
        Assert.Equal(5, entries.Count);
    }

    [Fact]
    public async Task Mutation_WithApiKey_IsRecordedUnderTheKeyName()
    {
        await using var server = await NovaServer.StartAsync();
        var key = await server.CreateApiKeyAsync("vendor-ci", "operator");
        using var keyClient = server.CreateApiKeyClient(key.Key);

        Assert.Equal(HttpStatusCode.Created, (await keyClient.PostAsJsonAsync("/api/v1/devices", DeviceRequestBuilder.Camera())).StatusCode);

        var entry = Assert.Single(await AuditAsync(server, "actor=apikey:vendor-ci"));
        Assert.Equal("POST /api/v1/devices", entry.Action);
        // Creating the key was itself audited, under the admin.
        Assert.Single(await AuditAsync(server, "actor=admin&action=" + Uri.EscapeDataString("POST /api/v1/api-keys")));
    }

    [Fact]
    public async Task Mutation_HandlerThrows_IsStillRecordedAsFailed500()
    {
        await using var server = await NovaServer.StartAsync(configureServices: s =>
            s.ConfigureDbContext<SqliteFirmwareDbContext>(o => o.AddInterceptors(new FailDeviceSaves())));
        using var admin = server.CreateAdminClient();

        var response = await admin.PostAsJsonAsync("/api/v1/devices", DeviceRequestBuilder.Camera());

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var entry = Assert.Single(await AuditAsync(server, "action=POST"));
        Assert.Equal((500, "failed", "unhandled error"), (entry.StatusCode, entry.Outcome, entry.Detail));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task Mutation_UnknownLongPathWithLongKeyName_IsStillRecorded(DatabaseProvider provider)
    {
        await using var server = await NovaServer.StartAsync(provider);
        var key = await server.CreateApiKeyAsync(new string('k', 200), "operator");
        using var keyClient = server.CreateApiKeyClient(key.Key);

        var response = await keyClient.PostAsync("/api/v1/" + new string('x', 400), null);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var entry = Assert.Single(await AuditAsync(server, "action=" + Uri.EscapeDataString("POST /api/v1/xxx")));
        Assert.Equal((404, "failed", 200, 200), (entry.StatusCode, entry.Outcome, entry.Action.Length, entry.Actor.Length));
        Assert.StartsWith("apikey:kkk", entry.Actor, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_AsOperator_Returns403AndReadsAreNotAudited()
    {
        await using var server = await NovaServer.StartAsync();
        var (operatorClient, _) = await server.CreateUserClientAsync("operator");
        using var _operator = operatorClient;

        await ProblemAssert.IsProblemAsync(await operatorClient.GetAsync("/api/v1/audit"), HttpStatusCode.Forbidden);
        await operatorClient.GetAsync("/api/v1/devices");

        Assert.Empty(await AuditAsync(server, "action=GET"));
    }

    /// <summary>Makes the device store fail the way a broken database would, after the handler has started.</summary>
    private sealed class FailDeviceSaves : SaveChangesInterceptor
    {
        public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default) =>
            eventData.Context!.ChangeTracker.Entries<Device>().Any()
                ? throw new InvalidOperationException("disk on fire")
                : base.SavingChangesAsync(eventData, result, cancellationToken);
    }
}
