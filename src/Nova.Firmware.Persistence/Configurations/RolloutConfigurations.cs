using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Nova.Firmware.Domain.Devices;
using Nova.Firmware.Domain.Diagnosis;
using Nova.Firmware.Domain.Jobs;
using Nova.Firmware.Domain.Packages;
using Nova.Firmware.Domain.Preflight;
using Nova.Firmware.Domain.Rollouts;

namespace Nova.Firmware.Persistence.Configurations;

internal sealed class RolloutConfiguration : IEntityTypeConfiguration<Rollout>
{
    public void Configure(EntityTypeBuilder<Rollout> b)
    {
        b.ToTable("rollouts");
        b.HasKey(r => r.Id);
        b.Property(r => r.Id).ValueGeneratedOnAdd();
        b.Property(r => r.Name).HasMaxLength(RolloutRules.MaxNameLength);
        b.Property(r => r.Status).HasConversion<EnumWireConverter<RolloutStatus>>().HasMaxLength(20);
        b.Property(r => r.StatusReason).HasMaxLength(2000);
        b.Property(r => r.CreatedBy).HasMaxLength(200);
        b.Property(r => r.LeaseOwner).HasMaxLength(100);
        // Target and strategy are read and written whole, never queried inside: one JSON text each,
        // the same on SQLite and PostgreSQL.
        b.Property(r => r.Target).HasConversion(JsonColumn<RolloutTarget>.Converter, JsonColumn<RolloutTarget>.Comparer);
        b.Property(r => r.Strategy).HasConversion(JsonColumn<RolloutStrategy>.Converter, JsonColumn<RolloutStrategy>.Comparer);
        b.HasIndex(r => new { r.Status, r.NextActionAt });
        b.HasIndex(r => r.UpdatedAt);
    }
}

internal sealed class RolloutDeviceConfiguration : IEntityTypeConfiguration<RolloutDevice>
{
    public void Configure(EntityTypeBuilder<RolloutDevice> b)
    {
        b.ToTable("rollout_devices");
        b.HasKey(d => d.Id);
        b.Property(d => d.Id).ValueGeneratedOnAdd();
        b.Property(d => d.State).HasConversion<EnumWireConverter<RolloutDeviceState>>().HasMaxLength(20);
        b.Property(d => d.Cause).HasConversion<EnumWireConverter<FailureCause>>().HasMaxLength(30);
        b.Property(d => d.BlockingCheck).HasConversion<EnumWireConverter<PreflightCheck>>().HasMaxLength(20);
        b.Property(d => d.Reason).HasMaxLength(2000);
        // A device is in a rollout once; joining late or retrying never adds it twice.
        b.HasIndex(d => new { d.RolloutId, d.DeviceId }).IsUnique();
        b.HasIndex(d => new { d.RolloutId, d.Wave, d.State });
        b.HasIndex(d => d.JobId);
        b.HasOne<Rollout>().WithMany().HasForeignKey(d => d.RolloutId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Device>().WithMany().HasForeignKey(d => d.DeviceId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<FirmwarePackage>().WithMany().HasForeignKey(d => d.PackageId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<DeviceJob>().WithMany().HasForeignKey(d => d.JobId).OnDelete(DeleteBehavior.Restrict);
    }
}

/// <summary>A value stored as one JSON text column (camelCase, as the API writes it).</summary>
internal static class JsonColumn<T> where T : class, new()
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static readonly Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<T, string> Converter = new(
        v => JsonSerializer.Serialize(v, Options),
        s => JsonSerializer.Deserialize<T>(s, Options) ?? new T());

    public static readonly ValueComparer<T> Comparer = new(
        (a, b) => JsonSerializer.Serialize(a, Options) == JsonSerializer.Serialize(b, Options),
        v => JsonSerializer.Serialize(v, Options).GetHashCode(StringComparison.Ordinal),
        v => JsonSerializer.Deserialize<T>(JsonSerializer.Serialize(v, Options), Options)!);
}
