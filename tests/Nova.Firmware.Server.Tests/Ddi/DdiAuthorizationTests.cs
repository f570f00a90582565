using Microsoft.Extensions.Primitives;
using Nova.Firmware.Server.Ddi;

namespace Nova.Firmware.Server.Tests.Ddi;

/// <summary>The DDI Authorization header as devices send it, and what is not one.</summary>
public sealed class DdiAuthorizationTests
{
    [Theory]
    [InlineData("TargetToken abc123", DdiAuthorization.Scheme.TargetToken, "abc123")]
    [InlineData("targettoken abc123", DdiAuthorization.Scheme.TargetToken, "abc123")] // hawkBit reads the scheme case-insensitively
    [InlineData("GatewayToken  g-1 ", DdiAuthorization.Scheme.GatewayToken, "g-1")]
    [InlineData("TargetToken\tabc", DdiAuthorization.Scheme.TargetToken, "abc")]
    public void Parse_DeviceHeaders(string header, DdiAuthorization.Scheme scheme, string token)
    {
        Assert.True(DdiAuthorization.TryParse(new StringValues(header), out var parsedScheme, out var parsedToken));
        Assert.Equal(scheme, parsedScheme);
        Assert.Equal(token, parsedToken);
    }

    [Theory]
    [InlineData("")]
    [InlineData("TargetToken")]
    [InlineData("TargetToken ")]
    [InlineData("Bearer abc")]
    [InlineData("Basic YWRtaW46eA==")]
    [InlineData("TargetToken abc def")] // a token has no spaces: which part would count?
    [InlineData(" abc")]
    public void Parse_NotADeviceHeader_IsRefused(string header) =>
        Assert.False(DdiAuthorization.TryParse(new StringValues(header), out _, out _));

    [Fact]
    public void Parse_NoneOrSeveralHeaders_IsRefused()
    {
        Assert.False(DdiAuthorization.TryParse(StringValues.Empty, out _, out _));
        Assert.False(DdiAuthorization.TryParse(new StringValues(["TargetToken a", "TargetToken b"]), out _, out _));
    }
}
