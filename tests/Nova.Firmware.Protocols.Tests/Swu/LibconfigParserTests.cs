using Nova.Firmware.Protocols.Swu;

namespace Nova.Firmware.Protocols.Tests.Swu;

public sealed class LibconfigParserTests
{
    [Fact]
    public void Parse_AllValueKinds_ReadsEach()
    {
        var root = LibconfigParser.Parse("""
            # comment
            // another
            /* block
               comment */
            name = "a" "b\t\"c\"";
            count: 0x1F;
            big = 12L;
            neg = -3;
            ratio = 2.5e1;
            on = TRUE;
            arr = [ "x", "y", ];
            lst = ( { k = 1; }, "s" );
            grp = { inner = false; };
            """);

        Assert.Equal("ab\t\"c\"", Assert.IsType<LibconfigString>(root["name"]).Value);
        Assert.Equal(31, Assert.IsType<LibconfigInteger>(root["count"]).Value);
        Assert.Equal(12, Assert.IsType<LibconfigInteger>(root["big"]).Value);
        Assert.Equal(-3, Assert.IsType<LibconfigInteger>(root["neg"]).Value);
        Assert.Equal(25.0, Assert.IsType<LibconfigFloat>(root["ratio"]).Value);
        Assert.True(Assert.IsType<LibconfigBoolean>(root["on"]).Value);
        Assert.Equal(2, Assert.IsType<LibconfigArray>(root["arr"]).Items.Count);
        var list = Assert.IsType<LibconfigList>(root["lst"]);
        Assert.IsType<LibconfigGroup>(list.Items[0]);
        Assert.False(Assert.IsType<LibconfigBoolean>(Assert.IsType<LibconfigGroup>(root["grp"])["inner"]).Value);
    }

    [Theory]
    [InlineData("a = ;", "line 1")]
    [InlineData("a = \"open", "unterminated string")]
    [InlineData("a = 1;\nb = [ { c = 1; } ];", "line 2")]
    [InlineData("a = 1; a = 2;", "duplicate setting 'a'")]
    [InlineData("@include \"other.cfg\"", "@include")]
    [InlineData("a = unquoted;", "strings need double quotes")]
    [InlineData("a = { b = 1;", "missing '}'")]
    [InlineData("/* never closed", "unterminated /* comment")]
    public void Parse_Broken_ThrowsWithReason(string text, string expected)
    {
        var error = Assert.Throws<SwuFormatException>(() => LibconfigParser.Parse(text));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NestingTooDeep_ThrowsInsteadOfOverflowingTheStack()
    {
        var text = "a = " + new string('(', 100_000) + new string(')', 100_000) + ";";

        var error = Assert.Throws<SwuFormatException>(() => LibconfigParser.Parse(text));

        Assert.Contains("nesting deeper", error.Message, StringComparison.Ordinal);
    }
}
