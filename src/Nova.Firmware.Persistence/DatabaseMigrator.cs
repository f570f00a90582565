using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace Nova.Firmware.Persistence;

/// <summary>Creates and migrates the database on start: the embedded default needs no set-up.</summary>
public static class DatabaseMigrator
{
    /// <summary>PostgreSQL advisory-lock key held while migrating ("NovaMigr" in ASCII).</summary>
    private const long MigrationLockKey = 0x4E6F_7661_4D69_6772;
    private static readonly TimeSpan LockRetry = TimeSpan.FromMilliseconds(250);

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

        await EnsureDatabaseExistsAsync(db, cancellationToken);
        // Observed: replicas started together on one database both applied the same migration and one
        // crashed ("column ... already exists"). One migrates at a time; the others then find nothing
        // to do. The lock is polled, not awaited in one statement, so a long migration does not hit
        // the command timeout of the replicas waiting behind it.
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            while (!await db.Database.SqlQueryRaw<bool>($"SELECT pg_try_advisory_lock({MigrationLockKey}) AS \"Value\"").SingleAsync(cancellationToken))
            {
                await Task.Delay(LockRetry, cancellationToken);
            }
            try
            {
                await db.Database.MigrateAsync(cancellationToken);
            }
            finally
            {
                await UnlockAsync(db);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>Creates a missing PostgreSQL database, as Migrate does on its own; a concurrent create is fine.</summary>
    private static async Task EnsureDatabaseExistsAsync(FirmwareDbContext db, CancellationToken cancellationToken)
    {
        var creator = db.GetService<IRelationalDatabaseCreator>();
        if (await creator.ExistsAsync(cancellationToken))
        {
            return;
        }
        try
        {
            await creator.CreateAsync(cancellationToken);
        }
        catch (System.Data.Common.DbException)
        {
            // Another replica may have created it between our check and our create.
            if (!await creator.ExistsAsync(cancellationToken))
            {
                throw;
            }
        }
    }

    private static async Task UnlockAsync(FirmwareDbContext db)
    {
        try
        {
            await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_unlock({MigrationLockKey});", CancellationToken.None);
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException)
        {
            // The connection broke: the session, and with it the lock, is gone. Keep the migration's
            // own error (if any) rather than hiding it behind this one.
        }
    }
}
