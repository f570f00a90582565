using Nova.Firmware.Domain.Packages;

namespace Nova.Firmware.Domain.Tests.Packages;

public sealed class PackageVersionComparerTests
{
    [Theory]
    [InlineData("1.9", "1.10")]
    [InlineData("1.2.3", "1.2.4")]
    [InlineData("1.2", "1.2.1")]
    [InlineData("v2.0.9", "v2.0.10")]
    [InlineData("2.0.0-rc1", "2.0.0-rc2")]
    [InlineData("009", "10")]
    public void Compare_OlderThenNewer_OrdersOlderFirst(string older, string newer)
    {
        Assert.True(PackageVersionComparer.Instance.Compare(older, newer) < 0);
        Assert.True(PackageVersionComparer.Instance.Compare(newer, older) > 0);
    }

    [Fact]
    public void Compare_SameText_IsEqual()
    {
        Assert.Equal(0, PackageVersionComparer.Instance.Compare("1.2.3", "1.2.3"));
    }
}
