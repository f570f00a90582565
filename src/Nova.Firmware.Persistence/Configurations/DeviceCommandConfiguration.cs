using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Nova.Firmware.Domain.Drivers;
using Nova.Firmware.Domain.Jobs;

namespace Nova.Firmware.Persistence.Configurations;

internal sealed class DeviceCommandConfiguration : IEntityTypeConfiguration<DeviceCommand>
{
    public void Configure(EntityTypeBuilder<DeviceCommand> b)
    {
        b.ToTable("device_commands");
        b.HasKey(c => c.Id);
        b.Property(c => c.Id).ValueGeneratedOnAdd();
        b.Property(c => c.Step).HasMaxLength(20);
        b.Property(c => c.IssuedBy).HasMaxLength(100);
        b.Property(c => c.Outcome).HasConversion<EnumWireConverter<DriverOutcome>>().HasMaxLength(20);
        b.Property(c => c.Detail).HasMaxLength(2000);
        // The idempotency key: a second writer of the same command fails here instead of sending it.
        b.HasIndex(c => new { c.JobId, c.Step, c.Attempt }).IsUnique();
        b.HasOne<DeviceJob>().WithMany().HasForeignKey(c => c.JobId).OnDelete(DeleteBehavior.Cascade);
    }
}
