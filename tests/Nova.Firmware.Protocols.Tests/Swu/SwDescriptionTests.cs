using Nova.Firmware.Protocols.Swu;

namespace Nova.Firmware.Protocols.Tests.Swu;

public sealed class SwDescriptionTests
{
    [Fact]
    public void Parse_FlatForm_ReadsVersionHardwareAndImages()
    {
        var description = SwDescription.Parse("""
            software =
            {
                version = "2.4.1";
                hardware-compatibility = [ "1.0", "1.1" ];
                images: (
                    { filename = "rootfs.ext4"; type = "raw"; device = "/dev/mmcblk0p2"; sha256 = "ABCDEF0000000000000000000000000000000000000000000000000000000000"; }
                );
                scripts: ( { filename = "post.sh"; type = "shellscript"; sha256 = "1111111111111111111111111111111111111111111111111111111111111111"; } );
            };
            """);

        Assert.Equal("2.4.1", description.Version);
        Assert.Equal(["1.0", "1.1"], description.HardwareCompatibility);
        Assert.Equal(["rootfs.ext4", "post.sh"], description.Artifacts.Select(a => a.FileName));
        Assert.Equal("abcdef0000000000000000000000000000000000000000000000000000000000", description.Artifacts[0].Sha256);
        Assert.Equal("/dev/mmcblk0p2", description.Artifacts[0].Device);
        Assert.Empty(description.Boards);
    }

    [Fact]
    public void Parse_BoardScopedForm_UnitesBoards()
    {
        var description = SwDescription.Parse("""
            software = {
                version = "3.0";
                c200 = {
                    hardware-compatibility = [ "1.0" ];
                    images: ( { filename = "c200.img"; sha256 = "2222222222222222222222222222222222222222222222222222222222222222"; } );
                };
                c300 = {
                    hardware-compatibility = [ "2.0" ];
                    stable = { copy1 = { images: ( { filename = "c300.img"; sha256 = "3333333333333333333333333333333333333333333333333333333333333333"; } ); }; };
                };
            };
            """);

        Assert.Equal("3.0", description.Version);
        Assert.Equal(["1.0", "2.0"], description.HardwareCompatibility);
        Assert.Equal(["c200.img", "c300.img"], description.Artifacts.Select(a => a.FileName));
        Assert.Equal(["c200", "c300"], description.Boards);
    }

    [Theory]
    [InlineData("other = { };", "no 'software' group")]
    [InlineData("software = { version = 3; };", "'version' must be a non-empty string")]
    [InlineData("software = { hardware-compatibility = [ 1 ]; };", "array of strings")]
    [InlineData("software = { images = [ \"a\" ]; };", "must be a list")]
    [InlineData("software = { images: ( \"a\" ); };", "must be a group")]
    public void Parse_WrongShape_ThrowsWithReason(string text, string expected)
    {
        var error = Assert.Throws<SwuFormatException>(() => SwDescription.Parse(text));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DescriptionWrittenBySwDescriptionText_RoundTrips()
    {
        var description = SwDescription.Parse(SwDescriptionText.Create("1.0 \"beta\"", ["1.0"], [new SwuImage("a.img", [1, 2])]));

        Assert.Equal("1.0 \"beta\"", description.Version);
        Assert.Equal("a.img", Assert.Single(description.Artifacts).FileName);
    }
}
