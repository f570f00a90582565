using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Nova.Firmware.Domain.Devices;
using Nova.Firmware.Domain.Diagnosis;
using Nova.Firmware.Domain.Jobs;
using Nova.Firmware.Domain.Packages;
using Nova.Firmware.Domain.Preflight;
using Nova.Firmware.Domain.Recovery;

namespace Nova.Firmware.Persistence.Configurations;

internal sealed class RecoveryRunConfiguration : IEntityTypeConfiguration<RecoveryRun>
{
    public void Configure(EntityTypeBuilder<RecoveryRun> b)
    {
        b.ToTable("recovery_runs");
        b.HasKey(r => r.Id);
        b.Property(r => r.Id).ValueGeneratedOnAdd();
        b.Property(r => r.Rung).HasConversion<EnumWireConverter<RecoveryRung>>().HasMaxLength(30);
        b.Property(r => r.Cause).HasConversion<EnumWireConverter<FailureCause>>().HasMaxLength(30);
        b.Property(r => r.BlockingCheck).HasConversion<EnumWireConverter<PreflightCheck>>().HasMaxLength(20);
        b.Property(r => r.IntendedVersion).HasMaxLength(100);
        b.Property(r => r.RecoveredVersion).HasMaxLength(100);
        b.Property(r => r.StatusReason).HasMaxLength(2000);
        b.Property(r => r.LeaseOwner).HasMaxLength(100);
        // One failure starts one run, even when two replicas fail the job at once.
        b.HasIndex(r => r.FailedJobId).IsUnique();
        // One active run per device, a database fact like one active job.
        b.HasIndex(r => r.ActiveDeviceId).IsUnique();
        b.HasIndex(r => new { r.Rung, r.NextActionAt });
        b.HasIndex(r => r.DeviceId);
        b.HasOne<Device>().WithMany().HasForeignKey(r => r.DeviceId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<DeviceJob>().WithMany().HasForeignKey(r => r.FailedJobId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<FirmwarePackage>().WithMany().HasForeignKey(r => r.PackageId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class TechnicianTaskConfiguration : IEntityTypeConfiguration<TechnicianTask>
{
    public void Configure(EntityTypeBuilder<TechnicianTask> b)
    {
        b.ToTable("technician_tasks");
        b.HasKey(t => t.Id);
        b.Property(t => t.Id).ValueGeneratedOnAdd();
        b.Property(t => t.Status).HasConversion<EnumWireConverter<TechnicianTaskStatus>>().HasMaxLength(20);
        b.Property(t => t.Title).HasMaxLength(300);
        b.Property(t => t.Reason).HasMaxLength(2000);
        b.Property(t => t.WaitForLed).HasMaxLength(100);
        b.Property(t => t.SdImageSha256).HasMaxLength(64);
        b.Property(t => t.SdImageUrl).HasMaxLength(500);
        b.Property(t => t.CompletedBy).HasMaxLength(200);
        b.Property(t => t.Note).HasMaxLength(2000);
        // One task per run: the run writes it once, on entering the technician rung.
        b.HasIndex(t => t.RunId).IsUnique();
        b.HasIndex(t => new { t.Status, t.CreatedAt });
        b.HasIndex(t => t.DeviceId);
        b.HasOne<RecoveryRun>().WithMany().HasForeignKey(t => t.RunId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class TechnicianPhotoConfiguration : IEntityTypeConfiguration<TechnicianPhoto>
{
    public void Configure(EntityTypeBuilder<TechnicianPhoto> b)
    {
        b.ToTable("technician_photos");
        b.HasKey(p => p.Id);
        b.Property(p => p.Id).ValueGeneratedOnAdd();
        b.Property(p => p.FileName).HasMaxLength(255);
        b.Property(p => p.ContentType).HasMaxLength(100);
        b.Property(p => p.Caption).HasMaxLength(500);
        b.Property(p => p.Sha256).HasMaxLength(64);
        b.Property(p => p.UploadedBy).HasMaxLength(200);
        b.HasIndex(p => p.TaskId);
        b.HasIndex(p => p.DeviceId);
        b.HasOne<TechnicianTask>().WithMany().HasForeignKey(p => p.TaskId).OnDelete(DeleteBehavior.Cascade);
    }
}
