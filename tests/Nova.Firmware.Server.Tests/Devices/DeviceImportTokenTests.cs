using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Nova.Firmware.Persistence;
using Nova.Firmware.Server.Endpoints.Management;
using Nova.Firmware.Server.Endpoints.Management.Devices;
using Nova.Firmware.Server.Tests.Infrastructure;

namespace Nova.Firmware.Server.Tests.Devices;

/// <summary>The device import's optional ddiToken column: a fleet provisioned with its DDI target tokens in one request.</summary>
public sealed class DeviceImportTokenTests
{
    private static StringContent Csv(string text) => new(text, Encoding.UTF8, "text/csv");

    private static async Task<HttpStatusCode> PollAsync(HttpClient client, string controllerId, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/DEFAULT/controller/v1/{controllerId}");
        request.Headers.Authorization = new AuthenticationHeaderValue("TargetToken", token);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    [Theory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task Import_WithDdiTokens_EachDevicePollsWithItsOwnToken(DatabaseProvider provider)
    {
        await using var server = await NovaServer.StartAsync(provider);
        using var admin = server.CreateAdminClient();
        using var device = server.CreateClient();
        var site = DeviceRequestBuilder.UniqueSite();
        var csv = "controllerId,vendor,model,hardwareRevision,soc,serial,kind,protocol,site,ddiToken\n"
            + $"tok-1,Axiom,AX-500,B2,cv25,T1,camera,ddi,{site},token-of-device-one-0001\n"
            + $"tok-2,Axiom,AX-500,B2,cv25,T2,camera,ddi,{site},  token-of-device-two-0002  \n"
            + $"tok-3,Axiom,AX-500,B2,cv25,T3,camera,ddi,{site},\n";

        var response = await admin.PostAsync("/api/v1/devices/import", Csv(csv));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, (await response.Content.ReadFromJsonAsync<ImportResult>())!.Imported);
        Assert.Equal(HttpStatusCode.OK, await PollAsync(device, "tok-1", "token-of-device-one-0001"));
        Assert.Equal(HttpStatusCode.OK, await PollAsync(device, "tok-2", "token-of-device-two-0002")); // the cell is trimmed
        Assert.Equal(HttpStatusCode.Unauthorized, await PollAsync(device, "tok-2", "token-of-device-one-0001")); // not another's
        Assert.Equal(HttpStatusCode.Unauthorized, await PollAsync(device, "tok-3", "token-of-device-one-0001")); // an empty cell: no token
    }

    [Theory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task Import_BadOrReusedDdiTokens_ReportsEachLineAndImportsNothing(DatabaseProvider provider)
    {
        await using var server = await NovaServer.StartAsync(provider);
        using var admin = server.CreateAdminClient();
        var site = DeviceRequestBuilder.UniqueSite();
        var first = "controllerId,vendor,model,hardwareRevision,soc,serial,kind,protocol,site,ddiToken\n"
            + $"held-1,Axiom,AX-500,B2,cv25,H1,camera,ddi,{site},token-already-in-the-inventory\n";
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("/api/v1/devices/import", Csv(first))).StatusCode);
        var csv = "controllerId,vendor,model,hardwareRevision,soc,serial,kind,protocol,site,ddiToken\n"
            + $"new-1,Axiom,AX-500,B2,cv25,N1,camera,ddi,{site},short\n"                             // line 2: too short
            + $"new-2,Axiom,AX-500,B2,cv25,N2,camera,ddi,{site},\"with a space inside it\"\n"         // line 3: a space
            + $"new-3,Axiom,AX-500,B2,cv25,N3,camera,ddi,{site},token-shared-by-two-rows\n"          // line 4: fine
            + $"new-4,Axiom,AX-500,B2,cv25,N4,camera,ddi,{site},token-shared-by-two-rows\n";         // line 5: same as line 4

        var problem = await ProblemAssert.IsProblemAsync(await admin.PostAsync("/api/v1/devices/import", Csv(csv)), HttpStatusCode.UnprocessableEntity);

        var errors = problem.GetProperty("errors").EnumerateArray()
            .Select(e => (Line: e.GetProperty("line").GetInt32(), Field: e.GetProperty("field").GetString()!, Message: e.GetProperty("message").GetString()!))
            .ToList();
        Assert.Equal([(2, "ddiToken"), (3, "ddiToken"), (5, "ddiToken")], errors.Select(e => (e.Line, e.Field)).ToList());
        Assert.Contains("line 4", errors[2].Message, StringComparison.Ordinal);

        // A file whose only problem is a token another device holds is refused after the database check.
        var taken = "controllerId,vendor,model,hardwareRevision,soc,serial,kind,protocol,site,ddiToken\n"
            + $"new-5,Axiom,AX-500,B2,cv25,N5,camera,ddi,{site},token-already-in-the-inventory\n";
        problem = await ProblemAssert.IsProblemAsync(await admin.PostAsync("/api/v1/devices/import", Csv(taken)), HttpStatusCode.UnprocessableEntity);
        var error = Assert.Single(problem.GetProperty("errors").EnumerateArray());
        Assert.Equal("ddiToken", error.GetProperty("field").GetString());
        Assert.Equal(1, (await admin.GetFromJsonAsync<Paged<DeviceResponse>>($"/api/v1/devices?site={site}"))!.Total);
    }
}
