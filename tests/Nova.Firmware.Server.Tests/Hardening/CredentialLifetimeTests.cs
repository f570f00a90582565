using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Nova.Firmware.Persistence;
using Nova.Firmware.Server.Endpoints.Management.Accounts;
using Nova.Firmware.Server.Tests.Builders;
using Nova.Firmware.Server.Tests.Ddi;
using Nova.Firmware.Server.Tests.Infrastructure;

namespace Nova.Firmware.Server.Tests.Hardening;

/// <summary>Credentials follow their owner: keys die with their creator's account or role, streams end with their credential, DDI caches forget at once.</summary>
public sealed class CredentialLifetimeTests
{
    /// <summary>An admin other than the first, with an admin API key of their own.</summary>
    private static async Task<(UserResponse Owner, HttpClient Key)> KeyOwnedBySecondAdminAsync(NovaServer server, string keyRole = "admin")
    {
        var (ownerClient, owner) = await server.CreateUserClientAsync("admin");
        using (ownerClient)
        {
            var response = await ownerClient.PostAsJsonAsync("/api/v1/api-keys", new ApiKeyCreateRequest("owned", keyRole));
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            var key = (await response.Content.ReadFromJsonAsync<ApiKeyCreated>())!;
            var keyClient = server.CreateApiKeyClient(key.Key);
            Assert.Equal(HttpStatusCode.OK, (await keyClient.GetAsync("/api/v1/devices")).StatusCode);
            return (owner, keyClient);
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task ApiKey_OwnerDisabled_Refused(DatabaseProvider provider)
    {
        await using var server = await NovaServer.StartAsync(provider);
        var (owner, key) = await KeyOwnedBySecondAdminAsync(server);
        using var admin = server.CreateAdminClient();

        (await admin.PutAsJsonAsync($"/api/v1/users/{owner.Id}", new { disabled = true })).EnsureSuccessStatusCode();

        Assert.Equal(HttpStatusCode.Unauthorized, (await key.GetAsync("/api/v1/devices")).StatusCode);
        (await admin.PutAsJsonAsync($"/api/v1/users/{owner.Id}", new { disabled = false })).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.OK, (await key.GetAsync("/api/v1/devices")).StatusCode);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task ApiKey_OwnerDeleted_Refused(DatabaseProvider provider)
    {
        await using var server = await NovaServer.StartAsync(provider);
        var (owner, key) = await KeyOwnedBySecondAdminAsync(server);
        using var admin = server.CreateAdminClient();

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/users/{owner.Id}")).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await key.GetAsync("/api/v1/devices")).StatusCode);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task ApiKey_OwnerLosesKeysRole_Refused(DatabaseProvider provider)
    {
        await using var server = await NovaServer.StartAsync(provider);
        var (owner, adminKey) = await KeyOwnedBySecondAdminAsync(server, keyRole: "admin");
        var (_, viewerKey) = await KeyOwnedBySecondAdminAsync(server, keyRole: "viewer");
        using var admin = server.CreateAdminClient();

        (await admin.PutAsJsonAsync($"/api/v1/users/{owner.Id}", new { role = "operator" })).EnsureSuccessStatusCode();

        Assert.Equal(HttpStatusCode.Unauthorized, (await adminKey.GetAsync("/api/v1/devices")).StatusCode);
        // A key within the owner's remaining role keeps working.
        Assert.Equal(HttpStatusCode.OK, (await viewerKey.GetAsync("/api/v1/devices")).StatusCode);
    }

    [Fact]
    public async Task ApiKey_CreatedByAnotherKey_BelongsToTheUserBehindIt()
    {
        await using var server = await NovaServer.StartAsync();
        var (owner, key) = await KeyOwnedBySecondAdminAsync(server);
        var response = await key.PostAsJsonAsync("/api/v1/api-keys", new ApiKeyCreateRequest("second-hand", "viewer"));
        var created = (await response.Content.ReadFromJsonAsync<ApiKeyCreated>())!;
        using var secondHand = server.CreateApiKeyClient(created.Key);
        using var admin = server.CreateAdminClient();

        (await admin.PutAsJsonAsync($"/api/v1/users/{owner.Id}", new { disabled = true })).EnsureSuccessStatusCode();

        Assert.Equal(HttpStatusCode.Unauthorized, (await secondHand.GetAsync("/api/v1/devices")).StatusCode);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task EventStream_KeyRevoked_EndsAtOnce(DatabaseProvider provider)
    {
        // A long recheck interval: only the revocation on this replica can end the stream in time.
        await using var server = await NovaServer.StartAsync(provider, settings: new Dictionary<string, string> { ["Nova:Security:CredentialRecheckInterval"] = "00:10:00" });
        var key = await server.CreateApiKeyAsync("watcher", "viewer");
        using var client = server.CreateApiKeyClient(key.Key);
        using var stream = await OpenEventsAsync(client);
        using var admin = server.CreateAdminClient();

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/api-keys/{key.Id}")).StatusCode);

        Assert.True(await EndsWithinAsync(stream, TimeSpan.FromSeconds(10)), "the stream of a revoked key kept running");
    }

    [Theory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task EventStream_UserDisabled_EndsAtOnce(DatabaseProvider provider)
    {
        await using var server = await NovaServer.StartAsync(provider, settings: new Dictionary<string, string> { ["Nova:Security:CredentialRecheckInterval"] = "00:10:00" });
        var (client, user) = await server.CreateUserClientAsync("viewer");
        using (client)
        {
            using var stream = await OpenEventsAsync(client);
            using var admin = server.CreateAdminClient();

            (await admin.PutAsJsonAsync($"/api/v1/users/{user.Id}", new { disabled = true })).EnsureSuccessStatusCode();

            Assert.True(await EndsWithinAsync(stream, TimeSpan.FromSeconds(10)), "the stream of a disabled user kept running");
        }
    }

    [Fact]
    public async Task EventStream_KeyRevokedOnAnotherReplica_EndsWithinRecheckInterval()
    {
        await using var server = await NovaServer.StartAsync(settings: new Dictionary<string, string> { ["Nova:Security:CredentialRecheckInterval"] = "00:00:00.200" });
        var key = await server.CreateApiKeyAsync("watcher", "viewer");
        using var client = server.CreateApiKeyClient(key.Key);
        using var stream = await OpenEventsAsync(client);
        await using var replica = server.StartReplica();
        using var replicaAdmin = replica.CreateAdminClient();

        Assert.Equal(HttpStatusCode.NoContent, (await replicaAdmin.DeleteAsync($"/api/v1/api-keys/{key.Id}")).StatusCode);

        Assert.True(await EndsWithinAsync(stream, TimeSpan.FromSeconds(10)), "the stream outlived its key revoked on another replica");
    }

    [Fact]
    public async Task EventStream_CredentialStillValid_KeepsRunning()
    {
        await using var server = await NovaServer.StartAsync(settings: new Dictionary<string, string> { ["Nova:Security:CredentialRecheckInterval"] = "00:00:00.200" });
        var key = await server.CreateApiKeyAsync("watcher", "viewer");
        using var client = server.CreateApiKeyClient(key.Key);
        using var stream = await OpenEventsAsync(client);

        Assert.False(await EndsWithinAsync(stream, TimeSpan.FromSeconds(2)), "a valid stream was ended");
    }

    [Theory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task DdiToken_DeviceDeleted_RefusedAtOnce(DatabaseProvider provider)
    {
        await using var server = await NovaServer.StartAsync(provider, settings: new Dictionary<string, string> { ["Nova:Ddi:TokenCacheTime"] = "01:00:00" });
        var device = FleetBuilder.Gateway();
        var ddi = await DdiFixture.EnrolAsync(server, device, checkIn: false);
        Assert.Equal(HttpStatusCode.OK, (await ddi.PollAsync()).Status); // now cached for an hour
        using var admin = server.CreateAdminClient();

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/devices/{device.Id}")).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await ddi.PollAsync()).Status);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task DdiControllerId_DeviceRenamed_OldIdRefusedAtOnce(DatabaseProvider provider)
    {
        await using var server = await NovaServer.StartAsync(provider, settings: new Dictionary<string, string> { ["Nova:Ddi:TokenCacheTime"] = "01:00:00" });
        var device = FleetBuilder.Gateway("old-name");
        var ddi = await DdiFixture.EnrolAsync(server, device, checkIn: false);
        Assert.Equal(HttpStatusCode.OK, (await ddi.PollAsync()).Status);
        using var admin = server.CreateAdminClient();
        var current = await admin.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>($"/api/v1/devices/{device.Id}");
        current!["controllerId"] = "new-name";

        (await admin.PutAsJsonAsync($"/api/v1/devices/{device.Id}", current)).EnsureSuccessStatusCode();

        Assert.Equal(HttpStatusCode.Unauthorized, (await ddi.PollAsync()).Status);
        var renamed = new DdiTestDevice(server.CreateClient(), "new-name", ddi.Token);
        Assert.Equal(HttpStatusCode.OK, (await renamed.PollAsync()).Status);
    }

    private static async Task<StreamReader> OpenEventsAsync(HttpClient client)
    {
        var response = await client.GetAsync("/api/v1/jobs/events", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var reader = new StreamReader(await response.Content.ReadAsStreamAsync(), Encoding.UTF8);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var first = await reader.ReadLineAsync(timeout.Token);
        Assert.Equal("event: ready", first);
        return reader;
    }

    /// <summary>True when the stream ends (the server closes it) within <paramref name="within"/>.</summary>
    private static async Task<bool> EndsWithinAsync(StreamReader stream, TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        try
        {
            while (await stream.ReadLineAsync(timeout.Token) is not null)
            {
            }
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
