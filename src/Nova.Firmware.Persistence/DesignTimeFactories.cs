using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Nova.Firmware.Persistence;

// Used only by `dotnet ef migrations add`; see scripts/add-migration.sh.
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteFirmwareDbContext>
{
    public SqliteFirmwareDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteFirmwareDbContext>().UseSqlite("Data Source=design.db").Options);
}

internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresFirmwareDbContext>
{
    public PostgresFirmwareDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresFirmwareDbContext>().UseNpgsql("Host=localhost;Database=design").Options);
}
