using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Nova.Firmware.Persistence;
using Nova.Firmware.Server.Tests.Infrastructure;

namespace Nova.Firmware.Server.Tests.Packages;

/// <summary>List, get, delete and the compatibility query, on both databases.</summary>
public sealed class PackageCatalogTests
{
    private static async Task<Guid> ImportAsync(HttpClient client, PackageUpload upload)
    {
        var response = await client.PostAsync("/api/v1/packages", upload.Build());
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    [Theory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task List_Filters_MatchVendorModelAndKindIgnoringCase(DatabaseProvider provider)
    {
        await using var server = await NovaServer.StartAsync(provider);
        var client = server.CreateAdminClient();
        var c200 = await ImportAsync(client, new PackageUpload().Field("models", "C200"));
        var c300 = await ImportAsync(client, new PackageUpload().Field("models", "C300,C310"));
        var stock = await ImportAsync(client, new PackageUpload().Field("models", "C300").Field("kind", "stock"));
        var other = await ImportAsync(client, new PackageUpload().Field("vendor", "Borealis").Field("models", "C300"));

        Assert.Equal([c200, c300, stock], await IdsAsync(client, "?vendor=axiom"));
        Assert.Equal([c300, stock, other], await IdsAsync(client, "?model=c300"));
        Assert.Equal([c300], await IdsAsync(client, "?model=C310"));
        Assert.Equal([stock], await IdsAsync(client, "?vendor=Axiom&model=C300&kind=stock"));
        Assert.Equal(400, (int)(await client.GetAsync("/api/v1/packages?kind=golden")).StatusCode);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task List_Paging_ReturnsPagesAndTotal(DatabaseProvider provider)
    {
        await using var server = await NovaServer.StartAsync(provider);
        var client = server.CreateAdminClient();
        for (var i = 1; i <= 5; i++)
        {
            await ImportAsync(client, new PackageUpload().Field("version", $"1.0.{i}"));
        }

        var page2 = await client.GetFromJsonAsync<JsonElement>("/api/v1/packages?page=2&pageSize=2");

        Assert.Equal(5, page2.GetProperty("total").GetInt32());
        Assert.Equal(["1.0.3", "1.0.4"], page2.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("version").GetString()));
        Assert.Equal(400, (int)(await client.GetAsync("/api/v1/packages?pageSize=0")).StatusCode);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task Get_ImportedPackage_ReturnsItsMetadata(DatabaseProvider provider)
    {
        await using var server = await NovaServer.StartAsync(provider);
        var client = server.CreateAdminClient();
        var id = await ImportAsync(client, new PackageUpload().Field("kind", "sd-recovery"));

        var package = await client.GetFromJsonAsync<JsonElement>($"/api/v1/packages/{id}");

        Assert.Equal("sd-recovery", package.GetProperty("kind").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/packages/{Guid.NewGuid()}")).StatusCode);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task Delete_SharedContent_RemovesBlobOnlyWithTheLastPackage(DatabaseProvider provider)
    {
        await using var server = await NovaServer.StartAsync(provider);
        var client = server.CreateAdminClient();
        var content = PackageUpload.RandomBytes(2000);
        var first = await ImportAsync(client, new PackageUpload(content));
        var second = await ImportAsync(client, new PackageUpload(content).Field("kind", "stock"));
        var blob = server.BlobPath(PackageUpload.Sha256(content));

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/v1/packages/{first}")).StatusCode);
        Assert.True(File.Exists(blob));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/v1/packages/{second}/content")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/v1/packages/{second}")).StatusCode);
        Assert.False(File.Exists(blob));
        Assert.Equal(HttpStatusCode.NotFound, (await client.DeleteAsync($"/api/v1/packages/{second}")).StatusCode);
    }

    [Fact]
    public async Task Delete_AsOperator_Returns403()
    {
        await using var server = await NovaServer.StartAsync();
        var id = await ImportAsync(server.CreateAdminClient(), new PackageUpload());
        await server.CreateUserAsync("otto", "operator-password", Nova.Firmware.Domain.Accounts.UserRole.Operator);

        var response = await server.CreateBasicClient("otto", "operator-password").DeleteAsync($"/api/v1/packages/{id}");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Single(server.Blobs());
    }

    [Theory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task Compatible_DeviceIdentity_RecommendsFittingPackageAndExplainsTheOthers(DatabaseProvider provider)
    {
        await using var server = await NovaServer.StartAsync(provider);
        var client = server.CreateAdminClient();
        var old = await ImportAsync(client, new PackageUpload().Field("version", "1.9.0"));
        var newest = await ImportAsync(client, new PackageUpload().Field("version", "1.10.0"));
        var otherRevision = await ImportAsync(client, new PackageUpload().Field("version", "3.0.0").Field("hardwareRevisions", "2.0"));
        var stock = await ImportAsync(client, new PackageUpload().Field("kind", "stock"));

        var result = await client.GetFromJsonAsync<JsonElement>("/api/v1/packages/compatible?vendor=axiom&model=C200&hardwareRevision=1.0&soc=CV25");

        Assert.Equal(newest, result.GetProperty("recommended").GetProperty("update").GetProperty("id").GetGuid());
        Assert.Equal(stock, result.GetProperty("recommended").GetProperty("stock").GetProperty("id").GetGuid());
        Assert.Equal([newest, old, stock], result.GetProperty("compatible").EnumerateArray().Select(p => p.GetProperty("id").GetGuid()));
        var rejected = Assert.Single(result.GetProperty("rejected").EnumerateArray());
        Assert.Equal(otherRevision, rejected.GetProperty("package").GetProperty("id").GetGuid());
        var mismatch = Assert.Single(rejected.GetProperty("mismatches").EnumerateArray());
        Assert.Equal("hardware-revision", mismatch.GetProperty("field").GetString());
        Assert.Contains("'2.0'", mismatch.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Compatible_KindFilterAndMissingFields_AreHonoured()
    {
        await using var server = await NovaServer.StartAsync();
        var client = server.CreateAdminClient();
        await ImportAsync(client, new PackageUpload());
        var stock = await ImportAsync(client, new PackageUpload().Field("kind", "stock"));

        var result = await client.GetFromJsonAsync<JsonElement>("/api/v1/packages/compatible?vendor=Axiom&model=C200&hardwareRevision=1.0&soc=CV25&kind=stock");
        var missing = await client.GetAsync("/api/v1/packages/compatible?vendor=Axiom");

        Assert.Equal([stock], result.GetProperty("compatible").EnumerateArray().Select(p => p.GetProperty("id").GetGuid()));
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        var errors = (await missing.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("hardwareRevision", out _));
        Assert.True(errors.TryGetProperty("soc", out _));
    }

    private static async Task<Guid[]> IdsAsync(HttpClient client, string query)
    {
        var page = await client.GetFromJsonAsync<JsonElement>("/api/v1/packages" + query);
        return page.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("id").GetGuid()).ToArray();
    }
}
