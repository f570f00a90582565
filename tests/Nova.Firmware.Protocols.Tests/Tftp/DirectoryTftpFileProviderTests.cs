using System.Net;
using Nova.Firmware.Protocols.Tests.Infrastructure;
using Nova.Firmware.Protocols.Tftp;

namespace Nova.Firmware.Protocols.Tests.Tftp;

public sealed class DirectoryTftpFileProviderTests
{
    private static readonly IPEndPoint Device = new(IPAddress.Parse("192.168.0.40"), 2001);

    [Fact]
    public async Task OpenAsync_FileBelowRoot_IsFoundWithLength()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.File("models"));
        dir.CreateFile("models/cam.img", 1000);
        var provider = new DirectoryTftpFileProvider(dir.Path);

        var lookup = await provider.OpenAsync("models/cam.img", Device, CancellationToken.None);

        Assert.Equal(TftpFileLookupStatus.Found, lookup.Status);
        Assert.Equal(1000, lookup.Length);
        await lookup.Content!.DisposeAsync();
    }

    [Fact]
    public async Task OpenAsync_AbsolutePathInsideRoot_IsFound()
    {
        using var dir = new TempDirectory();
        dir.CreateFile("a.img", 10);
        var provider = new DirectoryTftpFileProvider(dir.Path);

        var lookup = await provider.OpenAsync(dir.File("a.img"), Device, CancellationToken.None);

        Assert.Equal(TftpFileLookupStatus.Found, lookup.Status);
        await lookup.Content!.DisposeAsync();
    }

    [Theory]
    [InlineData("../secret")]
    [InlineData("models/../../secret")]
    [InlineData("..\\secret")]
    [InlineData("/etc/passwd")]
    public async Task OpenAsync_NameEscapingRoot_IsAccessViolation(string name)
    {
        using var dir = new TempDirectory();
        var provider = new DirectoryTftpFileProvider(dir.Path);

        var lookup = await provider.OpenAsync(name, Device, CancellationToken.None);

        Assert.Equal(TftpFileLookupStatus.AccessViolation, lookup.Status);
        Assert.Null(lookup.Content);
    }

    [Fact]
    public async Task OpenAsync_SiblingDirectorySharingThePrefix_IsAccessViolation()
    {
        using var dir = new TempDirectory();
        var provider = new DirectoryTftpFileProvider(dir.Path);

        var lookup = await provider.OpenAsync(dir.Path + "-other/file", Device, CancellationToken.None);

        Assert.Equal(TftpFileLookupStatus.AccessViolation, lookup.Status);
    }

    [Fact]
    public async Task OpenAsync_MissingFile_IsNotFound()
    {
        using var dir = new TempDirectory();
        var provider = new DirectoryTftpFileProvider(dir.Path);

        var lookup = await provider.OpenAsync("nope.img", Device, CancellationToken.None);

        Assert.Equal(TftpFileLookupStatus.NotFound, lookup.Status);
    }

    [Fact]
    public async Task OpenAsync_Directory_IsNotServed()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.File("models"));
        var provider = new DirectoryTftpFileProvider(dir.Path);

        var lookup = await provider.OpenAsync("models", Device, CancellationToken.None);

        Assert.NotEqual(TftpFileLookupStatus.Found, lookup.Status);
    }
}
