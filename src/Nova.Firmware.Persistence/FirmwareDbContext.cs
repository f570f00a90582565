using Microsoft.EntityFrameworkCore;

namespace Nova.Firmware.Persistence;

/// <summary>
/// The one model of the product's data. Each entity is configured in its own file under
/// Configurations/. Each database has its own subclass so that it keeps its own migrations
/// (Migrations/Sqlite, Migrations/Postgres); code depends only on this base type.
/// </summary>
public abstract class FirmwareDbContext(DbContextOptions options) : DbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(FirmwareDbContext).Assembly);
}
