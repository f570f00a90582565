using Microsoft.EntityFrameworkCore;

namespace Nova.Firmware.Persistence;

/// <summary>Creates and migrates the database on start: the embedded default needs no set-up.</summary>
public static class DatabaseMigrator
{
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
        }
        await db.Database.MigrateAsync(cancellationToken);
    }
}
