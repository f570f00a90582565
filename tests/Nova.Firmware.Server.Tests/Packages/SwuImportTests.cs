using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Nova.Firmware.Protocols.Swu;
using Nova.Firmware.Server.Packages;
using Nova.Firmware.Server.Tests.Infrastructure;

namespace Nova.Firmware.Server.Tests.Packages;

public sealed class SwuImportTests
{
    [Theory]
    [InlineData(CpioFormat.Newc)]
    [InlineData(CpioFormat.Crc)]
    public async Task Import_ValidBundle_TakesVersionAndRevisionsFromSwDescription(CpioFormat format)
    {
        await using var server = await NovaServer.StartAsync();
        var upload = PackageUpload.Swu(PackageUpload.ValidBundle("2.0.0", format));

        var response = await server.CreateAdminClient().PostAsync("/api/v1/packages", upload.Build());

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("swu", body.GetProperty("format").GetString());
        Assert.Equal("2.0.0", body.GetProperty("version").GetString());
        Assert.Equal(["1.0", "1.1"], body.GetProperty("hardwareRevisions").EnumerateArray().Select(r => r.GetString()));
        Assert.Single(server.Blobs());
    }

    [Fact]
    public async Task Import_BundleOfManyDrainPieces_StoredWhole_ImagesChecked()
    {
        // Larger than the drain's pipeline and the reader's copy together, so the reader checks
        // the images while the upload is still being received and written.
        await using var server = await NovaServer.StartAsync();
        SwuImage[] images = [new("rootfs.img", PackageUpload.RandomBytes((6 * HashingTeeStream.DrainBufferSize) + 333)), new("kernel.img", PackageUpload.RandomBytes(3 * HashingTeeStream.DrainBufferSize))];
        var bundle = SwuWriter.Build(SwDescriptionText.Create("3.1.0", ["1.0"], images), null, images.Select(i => (i.FileName, i.Content)));

        var response = await server.CreateAdminClient().PostAsync("/api/v1/packages", PackageUpload.Swu(bundle).Build());

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("3.1.0", body.GetProperty("version").GetString());
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bundle)), body.GetProperty("sha256").GetString());
        Assert.Equal(bundle, await File.ReadAllBytesAsync(Assert.Single(server.Blobs())));
    }

    [Fact]
    public async Task Import_LargeImageWithWrongHash_Returns422_NothingStored()
    {
        await using var server = await NovaServer.StartAsync();
        var content = PackageUpload.RandomBytes(5 * HashingTeeStream.DrainBufferSize);
        var description = SwDescriptionText.Create("3.1.0", ["1.0"], [new SwuImage("rootfs.img", content)]);
        content[^1] ^= 0xFF;

        var response = await server.CreateAdminClient().PostAsync("/api/v1/packages", PackageUpload.Swu(SwuWriter.Build(description, null, [("rootfs.img", content)])).Build());

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("rootfs.img", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await server.AssertNothingStoredAsync();
    }

    [Fact]
    public async Task Import_BrokenSwDescriptionBeforeALargeImage_Returns422_NothingStored()
    {
        // The reader fails on the first entry and stops the drain; its error is the answer, not the
        // cancelled receive of the megabytes after it.
        await using var server = await NovaServer.StartAsync();
        var bundle = SwuWriter.Build("nothing = 1;", null, [("rootfs.img", PackageUpload.RandomBytes(8 * HashingTeeStream.DrainBufferSize))]);

        var response = await server.CreateAdminClient().PostAsync("/api/v1/packages", PackageUpload.Swu(bundle).Build());

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("no 'software' group", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await server.AssertNothingStoredAsync();
    }

    [Fact]
    public async Task Import_BundleWithoutSwuExtension_IsRecognisedByItsCpioMagic()
    {
        await using var server = await NovaServer.StartAsync();
        var upload = PackageUpload.Swu(PackageUpload.ValidBundle(), fileName: "update.bin");

        var response = await server.CreateAdminClient().PostAsync("/api/v1/packages", upload.Build());

        Assert.Equal("swu", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("format").GetString());
    }

    [Fact]
    public async Task Import_FormVersionMatchesAndRevisionsNarrowed_Stored()
    {
        await using var server = await NovaServer.StartAsync();
        var upload = PackageUpload.Swu(PackageUpload.ValidBundle("2.0.0")).Field("version", "2.0.0").Field("hardwareRevisions", "1.1");

        var response = await server.CreateAdminClient().PostAsync("/api/v1/packages", upload.Build());

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(["1.1"], (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("hardwareRevisions").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public async Task Import_FormVersionDiffersFromBundle_Returns422()
    {
        await using var server = await NovaServer.StartAsync();
        var upload = PackageUpload.Swu(PackageUpload.ValidBundle("2.0.0")).Field("version", "2.0.1");

        var response = await server.CreateAdminClient().PostAsync("/api/v1/packages", upload.Build());

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("'2.0.1'", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await server.AssertNothingStoredAsync();
    }

    [Fact]
    public async Task Import_FormRevisionOutsideBundleCompatibility_Returns422()
    {
        await using var server = await NovaServer.StartAsync();
        var upload = PackageUpload.Swu(PackageUpload.ValidBundle()).Field("hardwareRevisions", "1.0,2.0");

        var response = await server.CreateAdminClient().PostAsync("/api/v1/packages", upload.Build());

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("'2.0'", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await server.AssertNothingStoredAsync();
    }

    [Fact]
    public async Task Import_InnerImageHashWrong_Returns422WithReason()
    {
        await using var server = await NovaServer.StartAsync();
        var image = PackageUpload.RandomBytes(3000);
        var description = SwDescriptionText.Create("1.0", ["1.0"], [new SwuImage("rootfs.img", image)]);
        var tampered = (byte[])image.Clone();
        tampered[1500] ^= 1;
        var bundle = SwuWriter.Build(description, null, [("rootfs.img", tampered)]);

        var response = await server.CreateAdminClient().PostAsync("/api/v1/packages", PackageUpload.Swu(bundle).Build());

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Invalid SWUpdate bundle", problem.GetProperty("title").GetString());
        Assert.Contains("HASH mismatch for 'rootfs.img'", problem.GetProperty("reason").GetString(), StringComparison.Ordinal);
        await server.AssertNothingStoredAsync();
    }

    [Fact]
    public async Task Import_ImageListedButMissing_Returns422()
    {
        await using var server = await NovaServer.StartAsync();
        var description = SwDescriptionText.Create("1.0", ["1.0"], [new SwuImage("rootfs.img", [1, 2, 3])]);

        var response = await server.CreateAdminClient().PostAsync("/api/v1/packages", PackageUpload.Swu(SwuWriter.Build(description, null, [])).Build());

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("rootfs.img", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await server.AssertNothingStoredAsync();
    }

    [Theory]
    [InlineData("software = { version = \"1\"; images: ( { filename = \"a\"; }", "sw-description line")]
    [InlineData("nothing = 1;", "no 'software' group")]
    public async Task Import_BrokenSwDescription_Returns422WithReason(string description, string expected)
    {
        await using var server = await NovaServer.StartAsync();

        var response = await server.CreateAdminClient().PostAsync("/api/v1/packages", PackageUpload.Swu(SwuWriter.Build(description, null, [])).Build());

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains(expected, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await server.AssertNothingStoredAsync();
    }

    [Fact]
    public async Task Import_SwuNameButNotCpio_Returns422BadMagic()
    {
        await using var server = await NovaServer.StartAsync();

        var response = await server.CreateAdminClient().PostAsync("/api/v1/packages", PackageUpload.Swu(Encoding.ASCII.GetBytes(new string('x', 500))).Build());

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("bad magic", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await server.AssertNothingStoredAsync();
    }

    [Fact]
    public async Task Import_EntryWithDotDotPath_Returns422()
    {
        await using var server = await NovaServer.StartAsync();
        var output = new MemoryStream();
        var writer = new SwuWriter(output);
        await writer.WriteEntryAsync("sw-description", Encoding.UTF8.GetBytes(SwDescriptionText.Create("1", ["1.0"], [])));
        await writer.WriteEntryAsync("../../etc/shadow", new byte[] { 1 });
        await writer.FinishAsync();

        var response = await server.CreateAdminClient().PostAsync("/api/v1/packages", PackageUpload.Swu(output.ToArray()).Build());

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        await server.AssertNothingStoredAsync();
    }
}
