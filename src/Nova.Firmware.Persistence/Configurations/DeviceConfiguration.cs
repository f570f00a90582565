using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Nova.Firmware.Domain.Devices;

namespace Nova.Firmware.Persistence.Configurations;

internal sealed class DeviceConfiguration : IEntityTypeConfiguration<Device>
{
    public void Configure(EntityTypeBuilder<Device> b)
    {
        b.ToTable("devices");
        b.HasKey(d => d.Id);
        b.Property(d => d.ControllerId).HasMaxLength(200);
        b.HasIndex(d => d.ControllerId).IsUnique();
        b.Property(d => d.Vendor).HasMaxLength(100);
        b.Property(d => d.Model).HasMaxLength(100);
        b.Property(d => d.HardwareRevision).HasMaxLength(50);
        b.Property(d => d.Soc).HasMaxLength(50);
        b.Property(d => d.Serial).HasMaxLength(100);
        b.Property(d => d.Name).HasMaxLength(200);
        b.Property(d => d.Site).HasMaxLength(200);
        b.Property(d => d.Address).HasMaxLength(500);
        b.Property(d => d.Kind).HasConversion<EnumWireConverter<DeviceKind>>().HasMaxLength(20);
        b.Property(d => d.Protocol).HasConversion<EnumWireConverter<DeviceProtocol>>().HasMaxLength(10);
        b.HasIndex(d => d.Model);
        b.HasIndex(d => d.Site);
        // Lengths match DeviceRules, which reports them as field errors before the database would.
        b.ComplexProperty(d => d.PowerFeed, p => p.Property(x => x.SwitchId).HasMaxLength(100));
        b.ComplexProperty(d => d.Firmware, f =>
        {
            f.Property(x => x.ActiveVersion).HasMaxLength(100);
            f.Property(x => x.InactiveVersion).HasMaxLength(100);
        });
        b.ComplexProperty(d => d.Storage);
        b.ComplexProperty(d => d.Health, h => h.Property(x => x.Status).HasConversion<EnumWireConverter<HealthStatus>>().HasMaxLength(20));
        b.ComplexProperty(d => d.Capabilities);
    }
}
