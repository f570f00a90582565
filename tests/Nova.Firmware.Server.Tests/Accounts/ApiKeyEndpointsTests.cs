using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Nova.Firmware.Domain.Accounts;
using Nova.Firmware.Persistence;
using Nova.Firmware.Server.Auth;
using Nova.Firmware.Server.Endpoints.Management.Accounts;
using Nova.Firmware.Server.Tests.Devices;
using Nova.Firmware.Server.Tests.Infrastructure;

namespace Nova.Firmware.Server.Tests.Accounts;

public sealed class ApiKeyEndpointsTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task Lifecycle_CreateUseRevoke_KeyWorksThenGets401(DatabaseProvider provider)
    {
        await using var server = await NovaServer.StartAsync(provider);
        using var admin = server.CreateAdminClient();

        var created = await server.CreateApiKeyAsync("ci-pipeline", "operator");
        Assert.StartsWith(ApiKeySecrets.KeyPrefix, created.Key, StringComparison.Ordinal);
        Assert.StartsWith(created.Prefix, created.Key, StringComparison.Ordinal);
        Assert.True(created.Key.Length > created.Prefix.Length + 30);

        using var keyClient = server.CreateApiKeyClient(created.Key);
        Assert.Equal(HttpStatusCode.Created, (await keyClient.PostAsJsonAsync("/api/v1/devices", DeviceRequestBuilder.Camera())).StatusCode);

        // The list never shows the secret again, but shows that the key was used.
        var listJson = await admin.GetStringAsync("/api/v1/api-keys");
        Assert.DoesNotContain(created.Key, listJson, StringComparison.Ordinal);
        var listed = (await admin.GetFromJsonAsync<List<ApiKeyResponse>>("/api/v1/api-keys"))!.Single(k => k.Id == created.Id);
        Assert.Equal(("ci-pipeline", "operator", created.Prefix, "admin"), (listed.Name, listed.Role, listed.Prefix, listed.CreatedBy));
        Assert.NotNull(listed.LastUsedAt);
        Assert.Null(listed.RevokedAt);

        // Only the hash is stored.
        using (var scope = server.Services.CreateScope())
        {
            var stored = await scope.ServiceProvider.GetRequiredService<FirmwareDbContext>().Set<ApiKey>().SingleAsync(k => k.Id == created.Id);
            Assert.Equal(ApiKeySecrets.Hash(created.Key), stored.KeyHash);
        }

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/api-keys/{created.Id}")).StatusCode);

        await ProblemAssert.IsProblemAsync(await keyClient.GetAsync("/api/v1/devices"), HttpStatusCode.Unauthorized);
        var revoked = (await admin.GetFromJsonAsync<List<ApiKeyResponse>>("/api/v1/api-keys"))!.Single(k => k.Id == created.Id);
        Assert.NotNull(revoked.RevokedAt);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task Use_RepeatedWithinAMinute_UpdatesLastUsedAtAtMostOncePerMinute(DatabaseProvider provider)
    {
        var t0 = DateTimeOffset.Parse("2026-04-01T08:00:00Z");
        var clock = new FakeTimeProvider(t0);
        await using var server = await NovaServer.StartAsync(provider, s => s.AddSingleton<TimeProvider>(clock));
        using var admin = server.CreateAdminClient();
        var created = await server.CreateApiKeyAsync("poller", "viewer");
        using var keyClient = server.CreateApiKeyClient(created.Key);
        async Task<DateTimeOffset?> LastUsedAsync() =>
            (await admin.GetFromJsonAsync<List<ApiKeyResponse>>("/api/v1/api-keys"))!.Single(k => k.Id == created.Id).LastUsedAt;

        Assert.Null(await LastUsedAsync());
        await keyClient.GetAsync("/api/v1/devices");
        Assert.Equal(t0, await LastUsedAsync());

        clock.Advance(TimeSpan.FromSeconds(30));
        await keyClient.GetAsync("/api/v1/devices");
        Assert.Equal(t0, await LastUsedAsync());

        clock.Advance(TimeSpan.FromSeconds(31));
        await keyClient.GetAsync("/api/v1/devices");
        Assert.Equal(t0.AddSeconds(61), await LastUsedAsync());
    }

    [Fact]
    public async Task Use_ViewerKey_ReadsButCannotChange()
    {
        await using var server = await NovaServer.StartAsync();
        var created = await server.CreateApiKeyAsync("dashboard", "viewer");
        using var keyClient = server.CreateApiKeyClient(created.Key);

        Assert.Equal(HttpStatusCode.OK, (await keyClient.GetAsync("/api/v1/devices")).StatusCode);
        await ProblemAssert.IsProblemAsync(await keyClient.PostAsJsonAsync("/api/v1/devices", DeviceRequestBuilder.Camera()), HttpStatusCode.Forbidden);
        await ProblemAssert.IsProblemAsync(await keyClient.GetAsync("/api/v1/api-keys"), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Use_UnknownKey_Returns401()
    {
        await using var server = await NovaServer.StartAsync();
        using var keyClient = server.CreateApiKeyClient(ApiKeySecrets.NewKey());

        await ProblemAssert.IsProblemAsync(await keyClient.GetAsync("/api/v1/devices"), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Create_AsOperator_Returns403()
    {
        await using var server = await NovaServer.StartAsync();
        var (operatorClient, _) = await server.CreateUserClientAsync("operator");
        using var _operator = operatorClient;

        await ProblemAssert.IsProblemAsync(await operatorClient.PostAsJsonAsync("/api/v1/api-keys", new ApiKeyCreateRequest("k", "admin")), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Create_MissingNameAndBadRole_Returns400()
    {
        await using var server = await NovaServer.StartAsync();
        using var admin = server.CreateAdminClient();

        var errors = await ProblemAssert.IsValidationProblemAsync(await admin.PostAsJsonAsync("/api/v1/api-keys", new ApiKeyCreateRequest("", "superuser")));

        Assert.Equal(["name", "role"], errors.Keys.Order());
    }
}
