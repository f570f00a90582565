using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Nova.Firmware.Persistence;
using Nova.Firmware.Server.Tests.Builders;
using Nova.Firmware.Server.Tests.Infrastructure;
using static Nova.Firmware.Server.Tests.Credentials.CredentialSteps;

namespace Nova.Firmware.Server.Tests.Credentials;

public sealed class CredentialEndpointsTests
{
    private const string Password = "s3cret-Pa55word!";

    [Theory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task PutGetDelete_DeviceCredentials_SetsReadsWithoutPasswordAndRemoves(DatabaseProvider provider)
    {
        await using var server = await NovaServer.StartAsync(provider);
        using var client = server.CreateAdminClient();
        var device = await server.AddDeviceAsync(FleetBuilder.Gateway());
        var path = $"/api/v1/devices/{device.Id}/credentials";

        var put = await client.PutAsJsonAsync(path, new { username = "onvif-admin", password = Password });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var get = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        foreach (var body in new[] { await put.Content.ReadAsStringAsync(), await get.Content.ReadAsStringAsync() })
        {
            Assert.DoesNotContain(Password, body, StringComparison.Ordinal);
            var json = JsonDocument.Parse(body).RootElement;
            Assert.Equal(["passwordSet", "scope", "updatedAt", "username"], json.EnumerateObject().Select(p => p.Name).Order());
            Assert.Equal("onvif-admin", json.GetProperty("username").GetString());
            Assert.True(json.GetProperty("passwordSet").GetBoolean());
            Assert.Equal("device", json.GetProperty("scope").GetString());
        }
        Assert.Equal(new("onvif-admin", Password), await FindAsync(server, device));
        // Neither the device nor the list carries them.
        Assert.DoesNotContain("onvif-admin", await client.GetStringAsync($"/api/v1/devices/{device.Id}"), StringComparison.Ordinal);
        Assert.DoesNotContain(Password, await client.GetStringAsync("/api/v1/devices"), StringComparison.Ordinal);

        await PutAsync(client, path, "onvif-admin2", "another-one");
        Assert.Equal(new("onvif-admin2", "another-one"), await FindAsync(server, device));
        Assert.Equal(1, await RowCountAsync(server));

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync(path)).StatusCode);
        await ProblemAssert.IsProblemAsync(await client.GetAsync(path), HttpStatusCode.NotFound);
        await ProblemAssert.IsProblemAsync(await client.DeleteAsync(path), HttpStatusCode.NotFound);
        Assert.Null(await FindAsync(server, device));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task Put_StoresOnlyTheProtectedPassword(DatabaseProvider provider)
    {
        await using var server = await NovaServer.StartAsync(provider);
        using var client = server.CreateAdminClient();
        var device = await server.AddDeviceAsync(FleetBuilder.Gateway());

        await PutAsync(client, $"/api/v1/devices/{device.Id}/credentials", "admin", Password);
        await PutAsync(client, "/api/v1/sites/hq/credentials", "admin", Password);

        var raw = await RawPasswordsAsync(server);
        Assert.Equal(2, raw.Count);
        Assert.All(raw, value =>
        {
            Assert.DoesNotContain(Password, value, StringComparison.Ordinal);
            Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes(Password)), value, StringComparison.Ordinal);
        });
        // Each scope protects with its own purpose: the same password never gives the same text.
        Assert.NotEqual(raw[0], raw[1]);
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(server.DataDirectory, "keys"), "*.xml"));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task Find_DeviceAndSiteCredentials_DeviceOverridesSite(DatabaseProvider provider)
    {
        await using var server = await NovaServer.StartAsync(provider);
        using var client = server.CreateAdminClient();
        var own = FleetBuilder.Gateway();
        own.Site = "hq";
        var inherits = FleetBuilder.Gateway();
        inherits.Site = "hq";
        var elsewhere = FleetBuilder.Gateway();
        elsewhere.Site = "branch";
        var nowhere = FleetBuilder.Gateway();
        await server.AddDevicesAsync([own, inherits, elsewhere, nowhere]);

        await PutAsync(client, "/api/v1/sites/hq/credentials", "site-user", "site-pass");
        await PutAsync(client, $"/api/v1/devices/{own.Id}/credentials", "device-user", "device-pass");

        Assert.Equal(new("device-user", "device-pass"), await FindAsync(server, own));
        Assert.Equal(new("site-user", "site-pass"), await FindAsync(server, inherits));
        Assert.Null(await FindAsync(server, elsewhere));
        Assert.Null(await FindAsync(server, nowhere));
        var effective = await client.GetFromJsonAsync<JsonElement>($"/api/v1/devices/{inherits.Id}/credentials");
        Assert.Equal(("site-user", "site"), (effective.GetProperty("username").GetString(), effective.GetProperty("scope").GetString()));
        var site = await client.GetFromJsonAsync<JsonElement>("/api/v1/sites/hq/credentials");
        Assert.Equal(("site-user", "site"), (site.GetProperty("username").GetString(), site.GetProperty("scope").GetString()));

        // The device's own removed: the site's apply again. Its own record goes with a deleted device.
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/v1/devices/{own.Id}/credentials")).StatusCode);
        Assert.Equal(new("site-user", "site-pass"), await FindAsync(server, own));
        await PutAsync(client, $"/api/v1/devices/{nowhere.Id}/credentials", "u", "p");
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/v1/devices/{nowhere.Id}")).StatusCode);
        Assert.Equal(1, await RowCountAsync(server));

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync("/api/v1/sites/hq/credentials")).StatusCode);
        Assert.Null(await FindAsync(server, inherits));
    }

    public static TheoryData<DatabaseProvider, string, string, string> BadInputs()
    {
        var data = new TheoryData<DatabaseProvider, string, string, string>();
        foreach (var provider in new[] { DatabaseProvider.Sqlite, DatabaseProvider.Postgres })
        {
            data.Add(provider, """{"password":"pw-123456"}""", "username", "pw-123456");
            data.Add(provider, """{"username":"   ","password":"pw-123456"}""", "username", "pw-123456");
            data.Add(provider, $$"""{"username":"{{new string('u', 129)}}","password":"pw-123456"}""", "username", "pw-123456");
            data.Add(provider, """{"username":"ad\nmin","password":"pw-123456"}""", "username", "pw-123456");
            data.Add(provider, """{"username":"admin","password":""}""", "password", "");
            data.Add(provider, $$"""{"username":"admin","password":"{{new string('p', 257)}}"}""", "password", new string('p', 257));
            data.Add(provider, """{"username":"admin","password":"pw-\u0007-bell"}""", "password", "pw-\u0007-bell");
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task Put_BadInput_Returns400NamingTheFieldWithoutThePasswordAndStoresNothing(DatabaseProvider provider, string body, string field, string password)
    {
        await using var server = await NovaServer.StartAsync(provider);
        using var client = server.CreateAdminClient();
        var device = await server.AddDeviceAsync(FleetBuilder.Gateway());

        foreach (var path in new[] { $"/api/v1/devices/{device.Id}/credentials", "/api/v1/sites/hq/credentials" })
        {
            var response = await client.PutAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
            var text = await response.Content.ReadAsStringAsync();
            var errors = await ProblemAssert.IsValidationProblemAsync(response);
            Assert.Equal([field], errors.Keys);
            if (password.Length > 0)
            {
                Assert.DoesNotContain(password, text, StringComparison.Ordinal);
            }
        }
        Assert.Equal(0, await RowCountAsync(server));
    }

    [Fact]
    public async Task Put_UnknownDeviceMalformedBodyOrBadSite_AnswersProblemWithoutEchoAndStoresNothing()
    {
        await using var server = await NovaServer.StartAsync();
        using var client = server.CreateAdminClient();

        var unknown = await client.PutAsJsonAsync($"/api/v1/devices/{Guid.NewGuid()}/credentials", new { username = "admin", password = Password });
        await ProblemAssert.IsProblemAsync(unknown, HttpStatusCode.NotFound);
        await ProblemAssert.IsProblemAsync(await client.GetAsync($"/api/v1/devices/{Guid.NewGuid()}/credentials"), HttpStatusCode.NotFound);
        await ProblemAssert.IsProblemAsync(await client.DeleteAsync($"/api/v1/devices/{Guid.NewGuid()}/credentials"), HttpStatusCode.NotFound);

        var malformed = await client.PutAsync("/api/v1/sites/hq/credentials",
            new StringContent($$"""{"username":"admin","password":"{{Password}}" """, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.DoesNotContain(Password, await malformed.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var longSite = Uri.EscapeDataString(new string('s', 201));
        var errors = await ProblemAssert.IsValidationProblemAsync(
            await client.PutAsJsonAsync($"/api/v1/sites/{longSite}/credentials", new { username = "admin", password = Password }));
        Assert.Equal(["site"], errors.Keys);
        Assert.Equal(0, await RowCountAsync(server));
    }

    [Fact]
    public async Task Credentials_ByRole_ViewerRefusedOperatorAllowed()
    {
        await using var server = await NovaServer.StartAsync();
        var (viewer, _) = await server.CreateUserClientAsync("viewer");
        var (operatorClient, _) = await server.CreateUserClientAsync("operator");
        using var _viewer = viewer;
        using var _operator = operatorClient;

        await PutAsync(operatorClient, "/api/v1/sites/hq/credentials", "admin", Password);
        Assert.Equal(HttpStatusCode.OK, (await operatorClient.GetAsync("/api/v1/sites/hq/credentials")).StatusCode);
        await ProblemAssert.IsProblemAsync(await viewer.GetAsync("/api/v1/sites/hq/credentials"), HttpStatusCode.Forbidden);
        await ProblemAssert.IsProblemAsync(await viewer.PutAsJsonAsync("/api/v1/sites/hq/credentials", new { username = "x", password = "y" }), HttpStatusCode.Forbidden);
        await ProblemAssert.IsProblemAsync(await viewer.DeleteAsync("/api/v1/sites/hq/credentials"), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Put_AuditLogRecordsTheCallButNotThePassword()
    {
        await using var server = await NovaServer.StartAsync();
        using var client = server.CreateAdminClient();
        var device = await server.AddDeviceAsync(FleetBuilder.Gateway());

        await PutAsync(client, $"/api/v1/devices/{device.Id}/credentials", "onvif-admin", Password);
        await client.PutAsJsonAsync("/api/v1/sites/hq/credentials", new { username = "a\tb", password = Password });

        var audit = await client.GetStringAsync("/api/v1/audit?pageSize=500");
        Assert.Contains("PUT /api/v1/devices/{id}/credentials", audit, StringComparison.Ordinal);
        Assert.Contains("PUT /api/v1/sites/{site}/credentials", audit, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, audit, StringComparison.Ordinal);
        Assert.DoesNotContain("onvif-admin", audit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_PasswordColumn_IsRefusedWithoutEchoingIt()
    {
        await using var server = await NovaServer.StartAsync();
        using var client = server.CreateAdminClient();
        var csv = $"vendor,model,hardwareRevision,soc,serial,kind,protocol,username,password\nAxiom,AX-500,B2,cv25,SN-CRED-1,camera,onvif,admin,{Password}\n";

        var response = await client.PostAsync("/api/v1/devices/import", new StringContent(csv, Encoding.UTF8, "text/csv"));

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.Contains(problem.GetProperty("errors").EnumerateArray(), e => e.GetProperty("field").GetString() == "password");
        Assert.DoesNotContain(Password, problem.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(0, (await client.GetFromJsonAsync<JsonElement>("/api/v1/devices?q=SN-CRED-1")).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task OpenApi_ListsTheCredentialEndpoints()
    {
        await using var server = await NovaServer.StartAsync();
        var paths = (await server.CreateClient().GetFromJsonAsync<JsonElement>("/openapi/v1.json")).GetProperty("paths");

        foreach (var path in new[] { "/api/v1/devices/{id}/credentials", "/api/v1/sites/{site}/credentials" })
        {
            var operations = paths.GetProperty(path).EnumerateObject().Select(o => o.Name).Order();
            Assert.Equal(["delete", "get", "put"], operations);
        }
    }
}
