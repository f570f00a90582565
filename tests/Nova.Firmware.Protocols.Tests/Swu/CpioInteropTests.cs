using System.Text;
using Nova.Firmware.Protocols.Swu;

namespace Nova.Firmware.Protocols.Tests.Swu;

/// <summary>Our cpio reader and writer against GNU cpio, the tool vendors build .swu files with.</summary>
public sealed class CpioInteropTests : IDisposable
{
    private readonly string _dir = Tools.TempDirectory();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("newc")]
    [InlineData("crc")]
    public async Task ReadAsync_BundleMadeByGnuCpio_VerifiesEveryImage(string cpioFormat)
    {
        await File.WriteAllTextAsync(Path.Combine(_dir, "sw-description"), SwuSamples.Description());
        foreach (var image in SwuSamples.Images)
        {
            await File.WriteAllBytesAsync(Path.Combine(_dir, image.FileName), image.Content);
        }
        var (exit, output) = await Tools.RunAsync(_dir, "printf", $"'sw-description\\nrootfs.img\\nkernel.img\\n' | cpio -o -H {cpioFormat} > bundle.swu");
        Assert.True(exit == 0, output);

        var bundle = await SwuSamples.ReadAsync(await File.ReadAllBytesAsync(Path.Combine(_dir, "bundle.swu")));

        Assert.Equal("1.2.3", bundle.Description.Version);
        Assert.Equal(["sw-description", "rootfs.img", "kernel.img"], bundle.Entries.Select(e => e.Name));
        Assert.All(bundle.Entries, e => Assert.Equal(cpioFormat == "crc" ? CpioFormat.Crc : CpioFormat.Newc, e.Format));
    }

    [Theory]
    [InlineData(CpioFormat.Newc)]
    [InlineData(CpioFormat.Crc)]
    public async Task SwuWriter_Bundle_GnuCpioExtractsIdenticalFiles(CpioFormat format)
    {
        var bytes = SwuSamples.Bundle(format, signature: [1, 2, 3]);

        var (exit, output) = await Tools.RunAsync(_dir, "cpio", "-i --quiet", bytes);

        Assert.True(exit == 0, output);
        Assert.Equal(SwuSamples.Description(), await File.ReadAllTextAsync(Path.Combine(_dir, "sw-description"), Encoding.UTF8));
        Assert.Equal(new byte[] { 1, 2, 3 }, await File.ReadAllBytesAsync(Path.Combine(_dir, "sw-description.sig")));
        Assert.Equal(SwuSamples.Rootfs, await File.ReadAllBytesAsync(Path.Combine(_dir, "rootfs.img")));
        Assert.Equal(SwuSamples.Kernel, await File.ReadAllBytesAsync(Path.Combine(_dir, "kernel.img")));
    }

    [Fact]
    public async Task SwuWriter_Bundle_ListsSwDescriptionFirstAndSignatureSecond()
    {
        var (exit, output) = await Tools.RunAsync(_dir, "cpio", "-it --quiet", SwuSamples.Bundle(signature: [9]));

        Assert.True(exit == 0, output);
        Assert.Equal(["sw-description", "sw-description.sig", "rootfs.img", "kernel.img"], output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
