using System.Net;
using System.Net.Http.Json;
using Nova.Firmware.Server.Endpoints.Management.Accounts;

namespace Nova.Firmware.Server.Tests.Infrastructure;

/// <summary>Creates accounts and keys through the API, as an admin would.</summary>
public static class Accounts
{
    public const string Password = "correct-horse-battery";

    public static async Task<(HttpClient Client, UserResponse User)> CreateUserClientAsync(this NovaServer server, string role, string? userName = null)
    {
        userName ??= $"{role}-{Guid.NewGuid():N}"[..20];
        using var admin = server.CreateAdminClient();
        var response = await admin.PostAsJsonAsync("/api/v1/users", new UserCreateRequest(userName, Password, role));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var user = (await response.Content.ReadFromJsonAsync<UserResponse>())!;
        return (server.CreateBasicClient(userName, Password), user);
    }

    public static async Task<ApiKeyCreated> CreateApiKeyAsync(this NovaServer server, string name, string role)
    {
        using var admin = server.CreateAdminClient();
        var response = await admin.PostAsJsonAsync("/api/v1/api-keys", new ApiKeyCreateRequest(name, role));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<ApiKeyCreated>())!;
    }
}
