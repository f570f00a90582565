using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Nova.Firmware.Server.Packages;
using Nova.Firmware.Server.Tests.Infrastructure;

namespace Nova.Firmware.Server.Tests.Packages;

/// <summary>
/// Imports of files spanning several write-back windows (the file's write-back starts while the
/// upload is arriving) and a ragged end: the stored bytes and all three digests are exact, and a
/// refused one leaves nothing behind.
/// </summary>
public sealed class LargeImportTests
{
    // Past a direct-write flush window too, so the import crosses a background fdatasync.
    private const int Size = (int)DirectWriter.FlushWindow + (int)(2 * WriteBack.Window) + (3 * HashingTeeStream.DrainBufferSize) + 12345;

    [Fact]
    public async Task Import_SeveralWriteBackWindows_StoresTheExactBytesAndDigests()
    {
        await using var server = await NovaServer.StartAsync();
        using var client = server.CreateAdminClient();
        var upload = new PackageUpload(PackageUpload.RandomBytes(Size));

        var response = await client.PostAsync("/api/v1/packages", upload.Build());

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(upload.Content));
        Assert.Equal(sha256, body.GetProperty("sha256").GetString());
        Assert.Equal(Convert.ToHexStringLower(SHA1.HashData(upload.Content)), body.GetProperty("sha1").GetString());
        Assert.Equal(Convert.ToHexStringLower(MD5.HashData(upload.Content)), body.GetProperty("md5").GetString());
        Assert.Equal(Size, body.GetProperty("size").GetInt64());
        Assert.Equal(upload.Content, await File.ReadAllBytesAsync(server.BlobPath(sha256)));
        Assert.Empty(server.TempFiles());
    }

    [Fact]
    public async Task Import_SeveralWriteBackWindowsWithWrongPublishedHash_StoresNothing()
    {
        await using var server = await NovaServer.StartAsync();
        using var client = server.CreateAdminClient();
        var upload = new PackageUpload(PackageUpload.RandomBytes(Size)).Field("sha256", new string('a', 64));

        var response = await client.PostAsync("/api/v1/packages", upload.Build());

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        await server.AssertNothingStoredAsync();
    }
}
