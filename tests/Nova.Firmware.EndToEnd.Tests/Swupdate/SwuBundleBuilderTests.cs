using System.Security.Cryptography;

namespace Nova.Firmware.EndToEnd.Tests.Swupdate;

/// <summary>The bundle builder against the real tools: cpio reads it back, swupdate's check mode judges it.</summary>
public sealed class SwuBundleBuilderTests : IDisposable
{
    private readonly TestDirectory _directory = TestDirectory.Create("nova-swu-build");

    [Fact]
    public async Task BuildAsync_TwoImages_PacksDescriptionSignatureThenImagesInOrder()
    {
        var keys = await TestSigningKeys.CreateAsync(_directory.Sub("keys"));
        var bundle = await new SwuBundleBuilder(keys, _directory.Path)
            .AddRawFile("rootfs.img", RandomNumberGenerator.GetBytes(1_000), _directory.File("a.img"))
            .AddRaw("kernel.img", RandomNumberGenerator.GetBytes(500), _directory.File("b.img"))
            .BuildAsync();

        var listing = await ExternalTool.RunAsync("cpio", ["-t", "-F", bundle.Path]);

        Assert.Equal(["sw-description", "sw-description.sig", "rootfs.img", "kernel.img"], listing.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(await File.ReadAllBytesAsync(bundle.Path), bundle.Content);
        Assert.Empty(Directory.GetDirectories(_directory.Path, "swu-staging-*"));
    }

    [Fact]
    public async Task BuildAsync_GoodBundle_PassesSwupdateCheck()
    {
        var keys = await TestSigningKeys.CreateAsync(_directory.Sub("keys"));
        var bundle = await new SwuBundleBuilder(keys, _directory.Path)
            .AddRawFile("rootfs.img", RandomNumberGenerator.GetBytes(1_000), _directory.File("target.img"))
            .BuildAsync();

        var check = await SwupdateExecutable.CheckBundleAsync(bundle.Path, keys.CertificatePath, "1.0", _directory.Sub("tmp"));

        Assert.True(check.Accepted, check.Output);
        Assert.False(File.Exists(_directory.File("target.img")));
    }

    [Fact]
    public async Task BuildAsync_VerifiedWithAnotherSigner_FailsAuthentication()
    {
        var keys = await TestSigningKeys.CreateAsync(_directory.Sub("keys"));
        var otherKeys = await TestSigningKeys.CreateAsync(_directory.Sub("other-keys"));
        var bundle = await new SwuBundleBuilder(keys, _directory.Path)
            .AddRawFile("rootfs.img", RandomNumberGenerator.GetBytes(1_000), _directory.File("target.img"))
            .BuildAsync();

        var check = await SwupdateExecutable.CheckBundleAsync(bundle.Path, otherKeys.CertificatePath, "1.0", _directory.Sub("tmp"));

        Assert.False(check.Accepted);
        Assert.NotEqual(0, check.ExitCode);
        Assert.Contains("Authentication of all signatures failed", check.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BuildAsync_WrongSha256_FailsCheckWithHashMismatch()
    {
        var keys = await TestSigningKeys.CreateAsync(_directory.Sub("keys"));
        var bundle = await new SwuBundleBuilder(keys, _directory.Path)
            .AddRawFile("rootfs.img", RandomNumberGenerator.GetBytes(1_000), _directory.File("target.img"))
            .WithWrongSha256For("rootfs.img")
            .BuildAsync();

        var check = await SwupdateExecutable.CheckBundleAsync(bundle.Path, keys.CertificatePath, "1.0", _directory.Sub("tmp"));

        Assert.False(check.Accepted);
        Assert.NotEqual(0, check.ExitCode);
        Assert.Contains("HASH mismatch", check.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BuildAsync_OtherHardwareRevision_FailsCheckAsNotCompatible()
    {
        var keys = await TestSigningKeys.CreateAsync(_directory.Sub("keys"));
        var bundle = await new SwuBundleBuilder(keys, _directory.Path)
            .WithHardwareCompatibility("2.0")
            .AddRawFile("rootfs.img", RandomNumberGenerator.GetBytes(1_000), _directory.File("target.img"))
            .BuildAsync();

        var check = await SwupdateExecutable.CheckBundleAsync(bundle.Path, keys.CertificatePath, "1.0", _directory.Sub("tmp"));

        Assert.False(check.Accepted);
        Assert.NotEqual(0, check.ExitCode);
        Assert.Contains("SW not compatible with hardware", check.Output, StringComparison.Ordinal);
    }

    public void Dispose() => _directory.Dispose();
}
