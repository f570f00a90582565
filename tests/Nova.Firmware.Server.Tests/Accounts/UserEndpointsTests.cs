using System.Net;
using System.Net.Http.Json;
using Nova.Firmware.Persistence;
using Nova.Firmware.Server.Endpoints.Management.Accounts;
using Nova.Firmware.Server.Tests.Devices;
using Nova.Firmware.Server.Tests.Infrastructure;

namespace Nova.Firmware.Server.Tests.Accounts;

public sealed class UserEndpointsTests
{
    [Fact]
    public async Task Get_NoCredentials_Returns401ProblemWithChallenge()
    {
        await using var server = await NovaServer.StartAsync();
        using var client = server.CreateClient();

        var response = await client.GetAsync("/api/v1/devices");

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Basic");
    }

    [Fact]
    public async Task Get_WrongPassword_Returns401Problem()
    {
        await using var server = await NovaServer.StartAsync();
        using var client = server.CreateBasicClient("admin", "not-the-password");

        await ProblemAssert.IsProblemAsync(await client.GetAsync("/api/v1/devices"), HttpStatusCode.Unauthorized);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task Create_OperatorUser_CanChangeDevicesButNotManageUsers(DatabaseProvider provider)
    {
        await using var server = await NovaServer.StartAsync(provider);
        var (client, user) = await server.CreateUserClientAsync("operator");
        using var _client = client;

        Assert.Equal("operator", user.Role);
        Assert.False(user.Disabled);
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/v1/devices", DeviceRequestBuilder.Camera())).StatusCode);
        await ProblemAssert.IsProblemAsync(await client.GetAsync("/api/v1/users"), HttpStatusCode.Forbidden);
        await ProblemAssert.IsProblemAsync(await client.PostAsJsonAsync("/api/v1/users", new UserCreateRequest("x-user", "long-enough-password", "admin")), HttpStatusCode.Forbidden);
        using var admin = server.CreateAdminClient();
        var users = await admin.GetFromJsonAsync<List<UserResponse>>("/api/v1/users");
        Assert.Contains(users!, u => u.UserName == user.UserName && u.Role == "operator");
        Assert.Contains(users!, u => u.UserName == "admin" && u.Role == "admin");
    }

    [Theory]
    [InlineData("short-pw", "operator", "password")]
    [InlineData("long-enough-password", "root", "role")]
    [InlineData("long-enough-password", null, "role")]
    public async Task Create_InvalidInput_Returns400NamingTheField(string password, string? role, string field)
    {
        await using var server = await NovaServer.StartAsync();
        using var admin = server.CreateAdminClient();

        var errors = await ProblemAssert.IsValidationProblemAsync(await admin.PostAsJsonAsync("/api/v1/users", new UserCreateRequest("someone", password, role)));

        Assert.Equal([field], errors.Keys);
    }

    [Fact]
    public async Task Create_ExistingUserName_Returns409()
    {
        await using var server = await NovaServer.StartAsync();
        using var admin = server.CreateAdminClient();

        await ProblemAssert.IsProblemAsync(
            await admin.PostAsJsonAsync("/api/v1/users", new UserCreateRequest("admin", "long-enough-password", "viewer")), HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Update_DisabledOrNewPassword_OldCredentialsGet401()
    {
        await using var server = await NovaServer.StartAsync();
        using var admin = server.CreateAdminClient();
        var (client, user) = await server.CreateUserClientAsync("viewer");
        using var _client = client;
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/devices")).StatusCode);

        var changed = await admin.PutAsJsonAsync($"/api/v1/users/{user.Id}", new UserUpdateRequest(Password: "a-brand-new-password", Role: "operator"));
        Assert.Equal("operator", (await changed.Content.ReadFromJsonAsync<UserResponse>())!.Role);
        await ProblemAssert.IsProblemAsync(await client.GetAsync("/api/v1/devices"), HttpStatusCode.Unauthorized);
        using var renewed = server.CreateBasicClient(user.UserName, "a-brand-new-password");
        Assert.Equal(HttpStatusCode.Created, (await renewed.PostAsJsonAsync("/api/v1/devices", DeviceRequestBuilder.Camera())).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"/api/v1/users/{user.Id}", new UserUpdateRequest(Disabled: true))).StatusCode);
        await ProblemAssert.IsProblemAsync(await renewed.GetAsync("/api/v1/devices"), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Update_LastAdminDemotedOrDisabled_Returns409()
    {
        await using var server = await NovaServer.StartAsync();
        using var admin = server.CreateAdminClient();
        var adminUser = (await admin.GetFromJsonAsync<List<UserResponse>>("/api/v1/users"))!.Single(u => u.UserName == "admin");

        await ProblemAssert.IsProblemAsync(await admin.PutAsJsonAsync($"/api/v1/users/{adminUser.Id}", new UserUpdateRequest(Role: "viewer")), HttpStatusCode.Conflict);
        await ProblemAssert.IsProblemAsync(await admin.PutAsJsonAsync($"/api/v1/users/{adminUser.Id}", new UserUpdateRequest(Disabled: true)), HttpStatusCode.Conflict);
        await ProblemAssert.IsProblemAsync(await admin.DeleteAsync($"/api/v1/users/{adminUser.Id}"), HttpStatusCode.Conflict);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/v1/users")).StatusCode);
    }

    [Fact]
    public async Task Delete_User_TheirCredentialsGet401()
    {
        await using var server = await NovaServer.StartAsync();
        using var admin = server.CreateAdminClient();
        var (client, user) = await server.CreateUserClientAsync("admin");
        using var _client = client;

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/users/{user.Id}")).StatusCode);

        await ProblemAssert.IsProblemAsync(await client.GetAsync("/api/v1/devices"), HttpStatusCode.Unauthorized);
        await ProblemAssert.IsProblemAsync(await admin.DeleteAsync($"/api/v1/users/{user.Id}"), HttpStatusCode.NotFound);
    }
}
