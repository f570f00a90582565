using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Nova.Firmware.Domain.Devices;
using Nova.Firmware.Domain.Drivers;
using Nova.Firmware.Persistence;
using Nova.Firmware.Server.Endpoints.Management.Credentials;
using Nova.Firmware.Server.Tests.Infrastructure;

namespace Nova.Firmware.Server.Tests.Credentials;

/// <summary>Steps the credential tests share: set through the API, read as a driver would, read the raw rows.</summary>
public static class CredentialSteps
{
    public static async Task<CredentialsResponse> PutAsync(HttpClient client, string path, string username, string password)
    {
        var response = await client.PutAsJsonAsync(path, new CredentialsRequest(username, password));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<CredentialsResponse>())!;
    }

    /// <summary>What a driver gets for the device, through the store the host registered.</summary>
    public static async Task<DeviceCredentials?> FindAsync(NovaServer server, Device device) =>
        await server.Services.GetRequiredService<IDeviceCredentialStore>().FindAsync(device, CancellationToken.None);

    /// <summary>The password column exactly as the database holds it.</summary>
    public static async Task<List<string>> RawPasswordsAsync(NovaServer server)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FirmwareDbContext>();
        return await db.Database.SqlQueryRaw<string>("SELECT \"ProtectedPassword\" AS \"Value\" FROM camera_credentials").ToListAsync();
    }

    public static async Task<int> RowCountAsync(NovaServer server)
    {
        await using var scope = server.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<FirmwareDbContext>().Set<StoredCredentials>().CountAsync();
    }
}
