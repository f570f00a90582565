using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Nova.Firmware.Domain.Devices;

namespace Nova.Firmware.Persistence.Configurations;

internal sealed class DeviceReportConfiguration : IEntityTypeConfiguration<DeviceReport>
{
    public void Configure(EntityTypeBuilder<DeviceReport> b)
    {
        b.ToTable("device_reports");
        b.HasKey(r => r.DeviceId);
        b.Property(r => r.BootMode).HasMaxLength(30);
        b.Property(r => r.Led).HasMaxLength(50);
        b.Property(r => r.ResetReason).HasMaxLength(30);
        b.HasOne<Device>().WithOne().HasForeignKey<DeviceReport>(r => r.DeviceId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class DeviceTokenConfiguration : IEntityTypeConfiguration<DeviceToken>
{
    public void Configure(EntityTypeBuilder<DeviceToken> b)
    {
        b.ToTable("device_tokens");
        b.HasKey(t => t.DeviceId);
        b.Property(t => t.TokenHash).HasMaxLength(64);
        b.HasIndex(t => t.TokenHash).IsUnique();
        b.HasOne<Device>().WithOne().HasForeignKey<DeviceToken>(t => t.DeviceId).OnDelete(DeleteBehavior.Cascade);
    }
}
