using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Nova.Firmware.Domain.Accounts;
using Nova.Firmware.Persistence;
using Nova.Firmware.Server.Auth;
using Nova.Firmware.Server.Tests.Infrastructure;

namespace Nova.Firmware.Server.Tests.Packages;

public sealed class PackageImportTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task Import_PublishedHashMatches_StoresBlobAndReturnsMetadata(DatabaseProvider provider)
    {
        await using var server = await NovaServer.StartAsync(provider);
        var upload = new PackageUpload().Field("releaseNotes", "Fixes RTSP").Field("signature", "AQID");

        var response = await server.CreateAdminClient().PostAsync("/api/v1/packages", upload.Build());

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var sha256 = PackageUpload.Sha256(upload.Content);
        Assert.Equal(sha256, body.GetProperty("sha256").GetString());
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA1.HashData(upload.Content)), body.GetProperty("sha1").GetString());
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(upload.Content)), body.GetProperty("md5").GetString());
        Assert.Equal(upload.Content.Length, body.GetProperty("size").GetInt64());
        Assert.Equal("update", body.GetProperty("kind").GetString());
        Assert.Equal("raw", body.GetProperty("format").GetString());
        Assert.Equal(["C200", "C210"], body.GetProperty("models").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal("Fixes RTSP", body.GetProperty("releaseNotes").GetString());
        Assert.Equal("admin", body.GetProperty("importedBy").GetString());
        var id = body.GetProperty("id").GetGuid();
        Assert.Equal($"/api/v1/packages/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal(upload.Content, await File.ReadAllBytesAsync(server.BlobPath(sha256)));
        Assert.Empty(server.TempFiles());
    }

    [Fact]
    public async Task Import_PublishedHashDiffers_Returns422NamingBothHashesAndStoresNothing()
    {
        await using var server = await NovaServer.StartAsync();
        var upload = new PackageUpload().Field("sha256", new string('0', 64));

        var response = await server.CreateAdminClient().PostAsync("/api/v1/packages", upload.Build());

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var computed = PackageUpload.Sha256(upload.Content);
        Assert.Equal(new string('0', 64), problem.GetProperty("publishedSha256").GetString());
        Assert.Equal(computed, problem.GetProperty("computedSha256").GetString());
        Assert.Contains(computed, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains(new string('0', 64), problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await server.AssertNothingStoredAsync();
    }

    [Fact]
    public async Task Import_SameContentTwice_KeepsOneBlobForTwoPackages()
    {
        await using var server = await NovaServer.StartAsync();
        var client = server.CreateAdminClient();
        var content = PackageUpload.RandomBytes(4096);

        var first = await client.PostAsync("/api/v1/packages", new PackageUpload(content).Build());
        var second = await client.PostAsync("/api/v1/packages", new PackageUpload(content).Field("kind", "stock").Build());

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Single(server.Blobs());
        Assert.Empty(server.TempFiles());
        Assert.Equal(2, await server.PackageCountAsync());
    }

    [Fact]
    public async Task Import_MissingFields_Returns400WithAMessagePerField()
    {
        await using var server = await NovaServer.StartAsync();
        var upload = new PackageUpload().Without("vendor").Without("models").Without("sha256").Without("soc").Without("version");

        var response = await server.CreateAdminClient().PostAsync("/api/v1/packages", upload.Build());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        foreach (var field in new[] { "vendor", "models", "sha256", "soc", "version" })
        {
            Assert.True(errors.TryGetProperty(field, out var messages), $"no error for {field}");
            Assert.NotEmpty(messages.EnumerateArray().Single().GetString()!);
        }
        await server.AssertNothingStoredAsync();
    }

    [Theory]
    [InlineData("kind", "firmware", "kind")]
    [InlineData("sha256", "abc", "sha256")]
    [InlineData("signature", "not base64!", "signature")]
    [InlineData("models", " , ", "models")]
    public async Task Import_InvalidField_Returns400ForThatField(string field, string value, string expectedError)
    {
        await using var server = await NovaServer.StartAsync();

        var response = await server.CreateAdminClient().PostAsync("/api/v1/packages", new PackageUpload().Field(field, value).Build());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty(expectedError, out _));
        await server.AssertNothingStoredAsync();
    }

    [Fact]
    public async Task Import_BadKind_ListsTheKinds()
    {
        await using var server = await NovaServer.StartAsync();

        var response = await server.CreateAdminClient().PostAsync("/api/v1/packages", new PackageUpload().Field("kind", "golden").Build());

        var message = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("kind")[0].GetString();
        Assert.Contains("sd-recovery", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_FileBeforeFields_IsAcceptedToo()
    {
        await using var server = await NovaServer.StartAsync();

        var response = await server.CreateAdminClient().PostAsync("/api/v1/packages", new PackageUpload().FileFirst().Build());

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task Import_NoFilePart_Returns400ForFile()
    {
        await using var server = await NovaServer.StartAsync();

        var response = await server.CreateAdminClient().PostAsync("/api/v1/packages", new PackageUpload().NoFile().Build());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("file", out _));
    }

    [Fact]
    public async Task Import_UnknownField_Returns400NamingIt()
    {
        await using var server = await NovaServer.StartAsync();

        var response = await server.CreateAdminClient().PostAsync("/api/v1/packages", new PackageUpload().Field("hardwareRevision", "1.0").Build());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("hardwareRevision", out _));
        await server.AssertNothingStoredAsync();
    }

    [Fact]
    public async Task Import_NotMultipart_Returns415()
    {
        await using var server = await NovaServer.StartAsync();

        var response = await server.CreateAdminClient().PostAsync("/api/v1/packages", new ByteArrayContent([1, 2, 3]));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task Import_LargerThanConfiguredLimit_Returns413AndStoresNothing()
    {
        await using var server = await NovaServer.StartAsync(configureServices: s =>
            s.PostConfigure<Nova.Firmware.Server.Packages.PackageCatalogOptions>(o => o.MaxImportBytes = 1000));

        var response = await server.CreateAdminClient().PostAsync("/api/v1/packages", new PackageUpload(PackageUpload.RandomBytes(5000)).Build());

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        await server.AssertNothingStoredAsync();
    }

    [Fact]
    public async Task Import_WithoutCredentials_Returns401()
    {
        await using var server = await NovaServer.StartAsync();

        var response = await server.CreateClient().PostAsync("/api/v1/packages", new PackageUpload().Build());

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        await server.AssertNothingStoredAsync();
    }

    [Fact]
    public async Task Import_AsViewer_Returns403ButViewerMayList()
    {
        await using var server = await NovaServer.StartAsync();
        await server.CreateUserAsync("vera", "viewer-password", UserRole.Viewer);
        var viewer = server.CreateBasicClient("vera", "viewer-password");

        var import = await viewer.PostAsync("/api/v1/packages", new PackageUpload().Build());
        var list = await viewer.GetAsync("/api/v1/packages");

        Assert.Equal(HttpStatusCode.Forbidden, import.StatusCode);
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        await server.AssertNothingStoredAsync();
    }

    [Fact]
    public async Task Import_AsOperator_IsAllowed()
    {
        await using var server = await NovaServer.StartAsync();
        await server.CreateUserAsync("otto", "operator-password", UserRole.Operator);

        var response = await server.CreateBasicClient("otto", "operator-password").PostAsync("/api/v1/packages", new PackageUpload().Build());

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }
}

internal static class UserSetup
{
    public static async Task CreateUserAsync(this NovaServer server, string userName, string password, UserRole role)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var passwords = scope.ServiceProvider.GetRequiredService<PasswordVerifier>();
        var user = new User { Id = Guid.NewGuid(), UserName = userName, PasswordHash = "", Role = role, CreatedAt = DateTimeOffset.UnixEpoch };
        user.PasswordHash = passwords.Hash(user, password);
        var db = scope.ServiceProvider.GetRequiredService<FirmwareDbContext>();
        db.Add(user);
        await db.SaveChangesAsync();
    }
}
