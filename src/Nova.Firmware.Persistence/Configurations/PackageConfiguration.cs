using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Nova.Firmware.Domain.Packages;

namespace Nova.Firmware.Persistence.Configurations;

internal sealed class PackageConfiguration : IEntityTypeConfiguration<FirmwarePackage>
{
    public void Configure(EntityTypeBuilder<FirmwarePackage> b)
    {
        b.ToTable("packages");
        b.HasKey(p => p.Id);
        b.Property(p => p.Vendor).HasMaxLength(100);
        b.Property(p => p.Version).HasMaxLength(100);
        b.Property(p => p.Soc).HasMaxLength(50);
        b.Property(p => p.FileName).HasMaxLength(255);
        b.Property(p => p.Sha256).HasMaxLength(64);
        b.Property(p => p.Sha1).HasMaxLength(40);
        b.Property(p => p.Md5).HasMaxLength(32);
        b.Property(p => p.Kind).HasConversion<EnumWireConverter<PackageKind>>().HasMaxLength(20);
        b.Property(p => p.Format).HasConversion<EnumWireConverter<PackageFormat>>().HasMaxLength(10);
        b.Property(p => p.SignatureCheck).HasConversion<EnumWireConverter<SignatureCheck>>().HasMaxLength(20);
        b.Property(p => p.SignedBy).HasMaxLength(500);
        b.Property(p => p.QuarantineReason).HasMaxLength(1000);
        b.HasIndex(p => p.Sha256);
        b.HasIndex(p => new { p.Vendor, p.Version });
    }
}
