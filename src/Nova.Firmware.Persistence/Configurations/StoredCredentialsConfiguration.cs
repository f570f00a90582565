using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Nova.Firmware.Domain.Devices;

namespace Nova.Firmware.Persistence.Configurations;

internal sealed class StoredCredentialsConfiguration : IEntityTypeConfiguration<StoredCredentials>
{
    public void Configure(EntityTypeBuilder<StoredCredentials> b)
    {
        b.ToTable("camera_credentials", t =>
            // One scope per row, never both or neither; the quoting works on SQLite and PostgreSQL alike.
            t.HasCheckConstraint("CK_camera_credentials_one_scope", "(\"DeviceId\" IS NULL) <> (\"Site\" IS NULL)"));
        b.HasKey(c => c.Id);
        // One row per device and one per site; NULLs do not collide in a unique index on either database.
        b.HasIndex(c => c.DeviceId).IsUnique();
        b.HasIndex(c => c.Site).IsUnique();
        b.Property(c => c.Site).HasMaxLength(CredentialRules.MaxSiteLength);
        b.Property(c => c.Username).HasMaxLength(CredentialRules.MaxUsernameLength);
        // Data Protection output for a 256-character password is well under 2,000 characters.
        b.Property(c => c.ProtectedPassword).HasMaxLength(2000);
        b.Property(c => c.UpdatedBy).HasMaxLength(200);
        b.Ignore(c => c.Scope);
        // A device's own credentials go with it; a site's stay until removed (devices come and go).
        b.HasOne<Device>().WithMany().HasForeignKey(c => c.DeviceId).OnDelete(DeleteBehavior.Cascade);
    }
}
