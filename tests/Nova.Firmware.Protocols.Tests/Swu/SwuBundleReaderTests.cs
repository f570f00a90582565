using System.Security.Cryptography;
using System.Text;
using Nova.Firmware.Protocols.Swu;

namespace Nova.Firmware.Protocols.Tests.Swu;

public sealed class SwuBundleReaderTests
{
    [Fact]
    public async Task ReadAsync_ValidBundle_ReturnsDescriptionAndSignature()
    {
        var bundle = await SwuSamples.ReadAsync(SwuSamples.Bundle(signature: [7, 7]));

        Assert.Equal("1.2.3", bundle.Description.Version);
        Assert.Equal(["1.0"], bundle.Description.HardwareCompatibility);
        Assert.Equal(["rootfs.img", "kernel.img"], bundle.Description.Artifacts.Select(a => a.FileName));
        Assert.Equal(new byte[] { 7, 7 }, bundle.Signature);
    }

    [Fact]
    public async Task ReadAsync_ImageBytesChanged_ReportsHashMismatchWithBothHashes()
    {
        var bytes = SwuSamples.Bundle();
        var at = IndexOf(bytes, "rootfs-image-content") + 5;
        bytes[at] ^= 0x20;

        var error = await Assert.ThrowsAsync<SwuFormatException>(() => SwuSamples.ReadAsync(bytes));

        Assert.Contains("HASH mismatch for 'rootfs.img'", error.Message, StringComparison.Ordinal);
        Assert.Contains(Convert.ToHexStringLower(SHA256.HashData(SwuSamples.Rootfs)), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_ListedImageMissing_SaysWhichOne()
    {
        var bytes = SwuWriter.Build(SwuSamples.Description(), null, [("rootfs.img", SwuSamples.Rootfs)]);

        var error = await Assert.ThrowsAsync<SwuFormatException>(() => SwuSamples.ReadAsync(bytes));

        Assert.Contains("'kernel.img'", error.Message, StringComparison.Ordinal);
        Assert.Contains("does not contain", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_SwDescriptionNotFirst_Refused()
    {
        var bytes = SwuWriter.Build("", null, []);
        var writer = new MemoryStream();
        var w = new SwuWriter(writer);
        await w.WriteEntryAsync("rootfs.img", SwuSamples.Rootfs);
        await w.WriteEntryAsync("sw-description", Encoding.UTF8.GetBytes(SwuSamples.Description()));
        await w.FinishAsync();

        var error = await Assert.ThrowsAsync<SwuFormatException>(() => SwuSamples.ReadAsync(writer.ToArray()));

        Assert.Contains("first entry must be 'sw-description'", error.Message, StringComparison.Ordinal);
        Assert.NotEmpty(bytes);
    }

    [Theory]
    [InlineData("../etc/passwd", "'..'")]
    [InlineData("/etc/passwd", "absolute path")]
    [InlineData("dir/file", "not a plain file name")]
    public async Task ReadAsync_EntryNameIsAPath_Refused(string name, string expected)
    {
        var output = new MemoryStream();
        var writer = new SwuWriter(output);
        await writer.WriteEntryAsync("sw-description", Encoding.UTF8.GetBytes(SwDescriptionText.Create("1", ["1.0"], [])));
        await writer.WriteEntryAsync(name, new byte[] { 1 });
        await writer.FinishAsync();

        var error = await Assert.ThrowsAsync<SwuFormatException>(() => SwuSamples.ReadAsync(output.ToArray()));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_DescriptionNamesPathWithDotDot_Refused()
    {
        var description = SwDescriptionText.Create("1", ["1.0"], [new SwuImage("../../x", [1])]);

        var error = await Assert.ThrowsAsync<SwuFormatException>(() => SwuSamples.ReadAsync(SwuWriter.Build(description, null, [])));

        Assert.Contains("'..'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_BadMagic_Refused()
    {
        var bytes = SwuSamples.Bundle();
        bytes[5] = (byte)'9';

        var error = await Assert.ThrowsAsync<SwuFormatException>(() => SwuSamples.ReadAsync(bytes));

        Assert.Contains("bad magic", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_EveryTruncation_RefusedAsMalformed()
    {
        var bytes = SwuSamples.Bundle();
        for (var length = 0; length < bytes.Length; length += 7)
        {
            await Assert.ThrowsAsync<SwuFormatException>(() => SwuSamples.ReadAsync(bytes[..length]));
        }
        await Assert.ThrowsAsync<SwuFormatException>(() => SwuSamples.ReadAsync(bytes[..^1]));
    }

    [Fact]
    public async Task ReadAsync_NameSizeAbsurd_RefusedWithoutAllocating()
    {
        var bytes = SwuSamples.Bundle();
        Encoding.ASCII.GetBytes("7FFFFFFF").CopyTo(bytes, 6 + (11 * 8)); // namesize of the first header

        var error = await Assert.ThrowsAsync<SwuFormatException>(() => SwuSamples.ReadAsync(bytes));

        Assert.Contains("invalid name size", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_FileSizeLargerThanArchive_RefusedAsTruncated()
    {
        var bytes = SwuSamples.Bundle();
        var header = IndexOf(bytes, "rootfs.img\0") - CpioReader.HeaderLength;
        Encoding.ASCII.GetBytes("FFFFFFF0").CopyTo(bytes, header + 6 + (6 * 8)); // filesize

        var error = await Assert.ThrowsAsync<SwuFormatException>(() => SwuSamples.ReadAsync(bytes));

        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_HeaderFieldNotHex_Refused()
    {
        var bytes = SwuSamples.Bundle();
        bytes[6 + (6 * 8)] = (byte)'Z';

        var error = await Assert.ThrowsAsync<SwuFormatException>(() => SwuSamples.ReadAsync(bytes));

        Assert.Contains("filesize field that is not hexadecimal", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_CrcSumWrong_Refused()
    {
        var bytes = SwuSamples.Bundle(CpioFormat.Crc);
        var header = IndexOf(bytes, "kernel.img\0") - CpioReader.HeaderLength;
        Encoding.ASCII.GetBytes("00000001").CopyTo(bytes, header + 6 + (12 * 8)); // check

        var error = await Assert.ThrowsAsync<SwuFormatException>(() => SwuSamples.ReadAsync(bytes));

        Assert.Contains("checksum of 'kernel.img'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_BrokenLibconfig_RefusedWithLine()
    {
        var bytes = SwuWriter.Build("software = {\n version = \"1\"\n images: ( { filename = \"a\" ; }\n", null, []);

        var error = await Assert.ThrowsAsync<SwuFormatException>(() => SwuSamples.ReadAsync(bytes));

        Assert.StartsWith("sw-description line", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_ImageWithoutSha256_Refused()
    {
        var description = "software = { version = \"1\"; images: ( { filename = \"rootfs.img\"; type = \"raw\"; } ); };";

        var error = await Assert.ThrowsAsync<SwuFormatException>(() => SwuSamples.ReadAsync(SwuWriter.Build(description, null, [("rootfs.img", SwuSamples.Rootfs)])));

        Assert.Contains("no sha256 for 'rootfs.img'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_SignatureNotSecond_Refused()
    {
        var output = new MemoryStream();
        var writer = new SwuWriter(output);
        await writer.WriteEntryAsync("sw-description", Encoding.UTF8.GetBytes(SwDescriptionText.Create("1", ["1.0"], [])));
        await writer.WriteEntryAsync("extra.txt", new byte[] { 1 });
        await writer.WriteEntryAsync("sw-description.sig", new byte[] { 1 });
        await writer.FinishAsync();

        var error = await Assert.ThrowsAsync<SwuFormatException>(() => SwuSamples.ReadAsync(output.ToArray()));

        Assert.Contains("must directly follow", error.Message, StringComparison.Ordinal);
    }

    private static int IndexOf(byte[] haystack, string needle) => haystack.AsSpan().IndexOf(Encoding.ASCII.GetBytes(needle));
}
