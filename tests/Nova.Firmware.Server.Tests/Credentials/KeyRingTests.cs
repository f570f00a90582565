using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Nova.Firmware.Domain.Drivers;
using Nova.Firmware.Persistence;
using Nova.Firmware.Server.Tests.Builders;
using Nova.Firmware.Server.Tests.Infrastructure;
using static Nova.Firmware.Server.Tests.Credentials.CredentialSteps;

namespace Nova.Firmware.Server.Tests.Credentials;

/// <summary>Replicas on one database read each other's credentials only when they share the key ring.</summary>
public sealed class KeyRingTests : IDisposable
{
    private readonly string _sharedKeys = Path.Combine(Path.GetTempPath(), "nova-test-keys-" + Guid.NewGuid().ToString("N"));

    private Dictionary<string, string> SharedKeyRing() => new() { ["Nova:DataProtection:KeyRingDirectory"] = _sharedKeys };

    public void Dispose()
    {
        if (Directory.Exists(_sharedKeys))
        {
            Directory.Delete(_sharedKeys, recursive: true);
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task Find_ReplicaSharingTheKeyRing_Decrypts(DatabaseProvider provider)
    {
        await using var primary = await NovaServer.StartAsync(provider, settings: SharedKeyRing());
        var device = await primary.AddDeviceAsync(FleetBuilder.Gateway());
        using var client = primary.CreateAdminClient();
        await PutAsync(client, $"/api/v1/devices/{device.Id}/credentials", "onvif-admin", "replica-secret");

        await using var replica = primary.StartReplica(SharedKeyRing());

        Assert.Equal(new("onvif-admin", "replica-secret"), await FindAsync(replica, device));
        Assert.NotEmpty(Directory.GetFiles(_sharedKeys, "*.xml"));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task Find_ReplicaWithAnotherKeyRing_FailsClearlyAndTheApiStillAnswers(DatabaseProvider provider)
    {
        await using var primary = await NovaServer.StartAsync(provider);
        var device = await primary.AddDeviceAsync(FleetBuilder.Gateway());
        using (var client = primary.CreateAdminClient())
        {
            await PutAsync(client, $"/api/v1/devices/{device.Id}/credentials", "onvif-admin", "primary-secret");
        }

        // Its own data directory, so its own key ring under it.
        await using var replica = primary.StartReplica();

        var error = await Assert.ThrowsAsync<DeviceCredentialsUnreadableException>(() => FindAsync(replica, device));
        Assert.Contains("Nova:DataProtection:KeyRingDirectory", error.Message, StringComparison.Ordinal);
        Assert.Contains(device.Id.ToString(), error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("primary-secret", error.Message, StringComparison.Ordinal);

        using var replicaClient = replica.CreateAdminClient();
        var read = await replicaClient.GetAsync($"/api/v1/devices/{device.Id}/credentials");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.True((await read.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("passwordSet").GetBoolean());

        // Setting them again on the replica is the way out (for that key ring).
        await PutAsync(replicaClient, $"/api/v1/devices/{device.Id}/credentials", "onvif-admin", "new-secret");
        Assert.Equal(new("onvif-admin", "new-secret"), await FindAsync(replica, device));
    }
}
