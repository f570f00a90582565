using Microsoft.Data.Sqlite;
using Npgsql;
using Nova.Firmware.Persistence;

namespace Nova.Firmware.Server.Admin;

/// <summary>
/// <c>admin backup --to DIR</c>: a consistent copy of the embedded database, taken online with
/// SQLite's backup API (one step, so one snapshot, while the server keeps writing under WAL; never
/// a copy of the file, which would miss what sits in the WAL), then every package blob that copy's
/// catalog names, each checked against its SHA-256 while it is copied, then the key ring that
/// decrypts stored device credentials, then the manifest. Blobs are immutable and named by their
/// hash, so copying them after the snapshot is safe: a package imported meanwhile is simply not in
/// this backup. On PostgreSQL the database is left to pg_dump (run it first) and this copies and
/// verifies the blobs its catalog names.
/// </summary>
public static class DataBackup
{
    public static async Task RunAsync(AdminSettings settings, string to, TextWriter output, CancellationToken ct)
    {
        to = Path.GetFullPath(to);
        if (Directory.Exists(to) && Directory.EnumerateFileSystemEntries(to).Any())
        {
            throw new AdminCommandException($"{to} is not empty: a backup goes into a new or empty directory.");
        }
        Directory.CreateDirectory(to);

        CatalogSnapshot catalog;
        string? databaseFile = null;
        if (settings.Provider == DatabaseProvider.Sqlite)
        {
            databaseFile = AdminSettings.DatabaseFileName;
            catalog = await CopySqliteAsync(settings, Path.Combine(to, databaseFile), ct);
            output.WriteLine($"database: copied online to {databaseFile} ({catalog.Jobs} device jobs, {catalog.Packages.Count} packages, schema {catalog.LatestMigration})");
        }
        else
        {
            await using var connection = new NpgsqlConnection(settings.ConnectionString);
            await connection.OpenAsync(ct);
            catalog = await CatalogReader.ReadAsync(connection, sqlite: false, ct);
            output.WriteLine($"database: PostgreSQL is not copied by this command; keep the pg_dump taken before it ({catalog.Jobs} device jobs, {catalog.Packages.Count} packages now)");
        }

        var blobs = new List<BackupBlob>();
        var quarantined = new List<string>();
        var problems = new List<string>();
        long bytes = 0;
        foreach (var package in catalog.Packages.DistinctBy(p => p.Sha256))
        {
            var blob = new BackupBlob(package.Sha256, package.Size);
            var problem = await BlobCopy.CopyVerifiedAsync(AdminSettings.BlobPath(settings.BlobRoot, blob.Sha256), AdminSettings.BlobPath(Path.Combine(to, "blobs"), blob.Sha256), blob, ct);
            if (problem is null)
            {
                blobs.Add(blob);
                bytes += blob.Size;
            }
            else if (package.Quarantined)
            {
                // The catalog already knows this copy is bad; the backup keeps the record, not the bytes.
                quarantined.Add(blob.Sha256);
            }
            else
            {
                problems.Add(problem);
            }
        }
        if (problems.Count > 0)
        {
            throw new AdminCommandException($"The backup in {to} is incomplete (no manifest written):{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", problems));
        }
        output.WriteLine($"blobs: {blobs.Count} copied, each verified against its SHA-256 ({bytes} bytes)" + (quarantined.Count > 0 ? $"; {quarantined.Count} quarantined left out" : ""));

        var keyRing = CopyKeyRing(settings.KeyRingDirectory, Path.Combine(to, "keys"), output);
        var manifest = new BackupManifest(BackupManifest.CurrentFormat, DateTimeOffset.UtcNow, settings.Provider.ToString(), databaseFile,
            catalog.LatestMigration, catalog.Jobs, keyRing, blobs, quarantined);
        await manifest.WriteAsync(to, ct);
        output.WriteLine($"backup complete: {to}");
    }

    private static async Task<CatalogSnapshot> CopySqliteAsync(AdminSettings settings, string target, CancellationToken ct)
    {
        var source = new SqliteConnectionStringBuilder(settings.ConnectionString) { Pooling = false, Mode = SqliteOpenMode.ReadWrite };
        if (!File.Exists(source.DataSource))
        {
            throw new AdminCommandException($"There is no database at {source.DataSource}: check Nova:DataDirectory (or Nova__DataDirectory).");
        }
        await using (var from = new SqliteConnection(source.ToString()))
        await using (var copy = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = target, Pooling = false }.ToString()))
        {
            await from.OpenAsync(ct);
            await copy.OpenAsync(ct);
            // All pages in one step: the copy is the database as of one moment, whatever writes follow.
            from.BackupDatabase(copy);
            // One self-contained file (no -wal or -shm beside it) to move and keep; the server
            // switches the restored database back to WAL at its start.
            await using var journal = copy.CreateCommand();
            journal.CommandText = "PRAGMA journal_mode=DELETE;";
            await journal.ExecuteNonQueryAsync(ct);
        }
        await using var check = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = target, Pooling = false }.ToString());
        await check.OpenAsync(ct);
        await using (var command = check.CreateCommand())
        {
            command.CommandText = "PRAGMA integrity_check;";
            var result = (string?)await command.ExecuteScalarAsync(ct);
            if (result != "ok")
            {
                throw new AdminCommandException($"The copied database fails SQLite's integrity check: {result}");
            }
        }
        return await CatalogReader.ReadAsync(check, sqlite: true, ct);
    }

    /// <summary>The data protection keys: without them a restored server cannot decrypt stored camera credentials.</summary>
    private static bool CopyKeyRing(string from, string to, TextWriter output)
    {
        if (!Directory.Exists(from) || !Directory.EnumerateFiles(from).Any())
        {
            output.WriteLine("key ring: none yet (no device credentials stored)");
            return false;
        }
        Directory.CreateDirectory(to);
        var count = 0;
        foreach (var file in Directory.EnumerateFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
            count++;
        }
        output.WriteLine($"key ring: {count} key files copied (they decrypt stored device credentials: keep the backup as safe as the server)");
        return true;
    }
}
