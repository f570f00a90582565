using Nova.Firmware.Domain.Packages;

namespace Nova.Firmware.Domain.Tests.Packages;

public sealed class PackageCompatibilityTests
{
    [Fact]
    public void Check_AllFieldsMatch_Fits()
    {
        var result = PackageCompatibility.Check(new PackageBuilder().Build(), PackageBuilder.Device());

        Assert.True(result.Fits);
        Assert.Empty(result.Mismatches);
    }

    [Fact]
    public void Check_VendorAndModelAndSocDifferInCase_Fits()
    {
        var package = new PackageBuilder().Vendor("AXIOM").Models("c200").Soc("cv25").Build();

        Assert.True(PackageCompatibility.Check(package, PackageBuilder.Device()).Fits);
    }

    [Fact]
    public void Check_ModelAmongSeveral_Fits()
    {
        var package = new PackageBuilder().Models("C100", "C200", "C300").Revisions("0.9", "1.0").Build();

        Assert.True(PackageCompatibility.Check(package, PackageBuilder.Device()).Fits);
    }

    [Theory]
    [InlineData(PackageKind.Update)]
    [InlineData(PackageKind.Stock)]
    [InlineData(PackageKind.SdRecovery)]
    public void Check_OtherHardwareRevision_RefusedWithReadableReason(PackageKind kind)
    {
        var package = new PackageBuilder().Kind(kind).Revisions("2.0").Build();

        var result = PackageCompatibility.Check(package, PackageBuilder.Device(revision: "1.0"));

        var mismatch = Assert.Single(result.Mismatches);
        Assert.Equal(CompatibilityField.HardwareRevision, mismatch.Field);
        Assert.Contains("'2.0'", mismatch.Reason, StringComparison.Ordinal);
        Assert.Contains("'1.0'", mismatch.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_RevisionWrittenDifferently_RefusedBecauseRevisionsAreExact()
    {
        var package = new PackageBuilder().Revisions("1.00").Build();

        Assert.False(PackageCompatibility.Check(package, PackageBuilder.Device(revision: "1.0")).Fits);
    }

    [Fact]
    public void Check_EverythingDifferent_ListsEachMismatch()
    {
        var package = new PackageBuilder().Vendor("Other").Models("X1").Revisions("3.0").Soc("Hi3516").Build();

        var result = PackageCompatibility.Check(package, PackageBuilder.Device());

        Assert.Equal(
            [CompatibilityField.Vendor, CompatibilityField.Model, CompatibilityField.HardwareRevision, CompatibilityField.Soc],
            result.Mismatches.Select(m => m.Field));
        Assert.Contains("Hi3516", result.Mismatches[3].Reason, StringComparison.Ordinal);
        Assert.Contains("CV25", result.Mismatches[3].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_OtherSoc_Refused()
    {
        var result = PackageCompatibility.Check(new PackageBuilder().Soc("CV22").Build(), PackageBuilder.Device());

        Assert.Equal(CompatibilityField.Soc, Assert.Single(result.Mismatches).Field);
    }

    [Fact]
    public void FindMatching_SeveralFit_ReturnsHighestVersionOfRequestedKind()
    {
        var old = new PackageBuilder().Version("1.9.0").Build();
        var newest = new PackageBuilder().Version("1.10.0").Build();
        var stock = new PackageBuilder().Version("9.0.0").Kind(PackageKind.Stock).Build();
        var otherRevision = new PackageBuilder().Version("5.0.0").Revisions("2.0").Build();

        var match = PackageCompatibility.FindMatching([old, stock, newest, otherRevision], PackageBuilder.Device(), PackageKind.Update);

        Assert.Same(newest, match);
        Assert.Same(stock, PackageCompatibility.FindMatching([old, stock, newest], PackageBuilder.Device(), PackageKind.Stock));
    }

    [Fact]
    public void FindMatching_SameVersion_PrefersLatestImport()
    {
        var earlier = new PackageBuilder().ImportedAt(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)).Build();
        var later = new PackageBuilder().ImportedAt(new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero)).Build();

        Assert.Same(later, PackageCompatibility.FindMatching([earlier, later], PackageBuilder.Device(), PackageKind.Update));
    }

    [Fact]
    public void FindMatching_NoneFits_ReturnsNull()
    {
        var packages = new[] { new PackageBuilder().Revisions("2.0").Build(), new PackageBuilder().Models("C100").Build() };

        Assert.Null(PackageCompatibility.FindMatching(packages, PackageBuilder.Device(), PackageKind.Update));
    }
}
