using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Nova.Firmware.Domain.Devices;
using Nova.Firmware.Domain.Diagnosis;
using Nova.Firmware.Domain.Jobs;
using Nova.Firmware.Domain.Packages;
using Nova.Firmware.Domain.Preflight;

namespace Nova.Firmware.Persistence.Configurations;

internal sealed class DeviceJobConfiguration : IEntityTypeConfiguration<DeviceJob>
{
    public void Configure(EntityTypeBuilder<DeviceJob> b)
    {
        b.ToTable("device_jobs");
        b.HasKey(j => j.Id);
        b.Property(j => j.Id).ValueGeneratedOnAdd();
        b.Property(j => j.Status).HasConversion<EnumWireConverter<DeviceJobStatus>>().HasMaxLength(20);
        b.Property(j => j.Cause).HasConversion<EnumWireConverter<FailureCause>>().HasMaxLength(30);
        b.Property(j => j.BlockingCheck).HasConversion<EnumWireConverter<PreflightCheck>>().HasMaxLength(20);
        b.Property(j => j.TargetVersion).HasMaxLength(100);
        b.Property(j => j.PreviousVersion).HasMaxLength(100);
        b.Property(j => j.CreatedBy).HasMaxLength(200);
        b.Property(j => j.LeaseOwner).HasMaxLength(100);
        // One active job per device, enforced by the database: ActiveDeviceId is cleared when the
        // job ends, and NULLs do not collide in a unique index (SQLite and PostgreSQL alike).
        b.HasIndex(j => j.ActiveDeviceId).IsUnique();
        b.HasIndex(j => new { j.Status, j.NextActionAt });
        b.HasIndex(j => j.DeviceId);
        b.HasIndex(j => j.UpdatedAt);
        b.HasIndex(j => j.RecoveryRunId);
        b.HasIndex(j => j.RolloutId);
        b.HasOne<Device>().WithMany().HasForeignKey(j => j.DeviceId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<FirmwarePackage>().WithMany().HasForeignKey(j => j.PackageId).OnDelete(DeleteBehavior.Restrict);
    }
}
