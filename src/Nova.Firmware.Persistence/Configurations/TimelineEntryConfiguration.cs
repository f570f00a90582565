using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Nova.Firmware.Domain.Timeline;

namespace Nova.Firmware.Persistence.Configurations;

internal sealed class TimelineEntryConfiguration : IEntityTypeConfiguration<TimelineEntry>
{
    public void Configure(EntityTypeBuilder<TimelineEntry> b)
    {
        b.ToTable("timeline");
        b.HasKey(t => t.Id);
        b.Property(t => t.Id).ValueGeneratedOnAdd();
        b.Property(t => t.Kind).HasConversion<EnumWireConverter<TimelineEntryKind>>().HasMaxLength(20);
        b.Property(t => t.Message).HasMaxLength(2000);
        b.HasIndex(t => new { t.DeviceId, t.Id });
        b.HasIndex(t => new { t.JobId, t.Id });
    }
}
