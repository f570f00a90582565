using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Nova.Firmware.Domain.Accounts;

namespace Nova.Firmware.Persistence.Configurations;

internal sealed class UserConfiguration : IEntityTypeConfiguration<User>
{
    public void Configure(EntityTypeBuilder<User> b)
    {
        b.ToTable("users");
        b.HasKey(u => u.Id);
        b.Property(u => u.UserName).HasMaxLength(100);
        b.HasIndex(u => u.UserName).IsUnique();
        b.Property(u => u.Role).HasConversion<EnumWireConverter<UserRole>>().HasMaxLength(20);
    }
}

internal sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> b)
    {
        b.ToTable("api_keys");
        b.HasKey(k => k.Id);
        b.Property(k => k.Name).HasMaxLength(200);
        b.Property(k => k.Prefix).HasMaxLength(16);
        b.Property(k => k.KeyHash).HasMaxLength(64);
        b.HasIndex(k => k.KeyHash).IsUnique();
        b.Property(k => k.Role).HasConversion<EnumWireConverter<UserRole>>().HasMaxLength(20);
        b.Ignore(k => k.IsActive);
    }
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> b)
    {
        b.ToTable("audit_log");
        b.HasKey(a => a.Id);
        b.HasIndex(a => a.At);
        // The audit view filters by who and by what.
        b.HasIndex(a => new { a.Actor, a.At });
        b.Property(a => a.Actor).HasMaxLength(200);
        b.Property(a => a.Action).HasMaxLength(200);
        b.Property(a => a.Target).HasMaxLength(500);
        b.Property(a => a.Outcome).HasMaxLength(50);
    }
}
