using Microsoft.EntityFrameworkCore;

namespace Nova.Firmware.Persistence;

/// <summary>Creates and migrates the database on start: the embedded default needs no set-up.</summary>
public static class DatabaseMigrator
{
    /// <summary>PostgreSQL advisory-lock key held while migrating ("NovaMigr" in ASCII).</summary>
    private const long MigrationLockKey = 0x4E6F_7661_4D69_6772;

    public static async Task MigrateAsync(FirmwareDbContext db, CancellationToken cancellationToken)
    {
        if (db.Database.IsSqlite())
        {
            // WAL lets the engine loops write while the API reads; the mode is stored in the file.
            await db.Database.OpenConnectionAsync(cancellationToken);
            try
            {
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }
            await db.Database.MigrateAsync(cancellationToken);
            return;
        }

        // Replicas started together would otherwise both see a migration as pending and both apply
        // it ("column already exists"): one migrates at a time, the others then find nothing to do.
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_lock({MigrationLockKey});", cancellationToken);
            try
            {
                await db.Database.MigrateAsync(cancellationToken);
            }
            finally
            {
                await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_unlock({MigrationLockKey});", CancellationToken.None);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
