using Microsoft.Data.Sqlite;
using Nova.Firmware.Persistence;

namespace Nova.Firmware.Server.Admin;

/// <summary>
/// <c>admin restore --from DIR</c>: puts a backup into this server's (fresh) data directory. Every
/// blob is verified against the manifest's SHA-256 before anything is written, and again as it is
/// copied; an existing database is never overwritten. The server's next start migrates the restored
/// database forward when the backup came from an older build.
/// </summary>
public static class DataRestore
{
    public static async Task RunAsync(AdminSettings settings, string from, TextWriter output, CancellationToken ct)
    {
        from = Path.GetFullPath(from);
        var manifest = await BackupManifest.ReadAsync(from, ct);
        var backupBlobs = Path.Combine(from, "blobs");
        var problems = new List<string>();
        foreach (var blob in manifest.Blobs)
        {
            if (await BlobCopy.VerifyAsync(AdminSettings.BlobPath(backupBlobs, blob.Sha256), blob, ct) is { } problem)
            {
                problems.Add(problem);
            }
        }
        if (problems.Count > 0)
        {
            throw new AdminCommandException($"The backup in {from} is damaged; nothing was restored:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", problems));
        }
        output.WriteLine($"backup of {manifest.CreatedAt:u}: {manifest.Blobs.Count} blobs verified against their SHA-256");

        if (manifest.DatabaseFile is { } databaseFile)
        {
            await RestoreSqliteAsync(settings, Path.Combine(from, databaseFile), ct);
            output.WriteLine($"database: restored ({manifest.Jobs} device jobs, schema {manifest.LatestMigration}); the server migrates it forward at its next start if needed");
        }
        else
        {
            output.WriteLine("database: not in this backup (PostgreSQL): restore its pg_dump with pg_restore into the database the server is configured for");
        }

        Directory.CreateDirectory(settings.BlobRoot);
        foreach (var blob in manifest.Blobs)
        {
            var target = AdminSettings.BlobPath(settings.BlobRoot, blob.Sha256);
            if (File.Exists(target) && await BlobCopy.VerifyAsync(target, blob, ct) is null)
            {
                continue;
            }
            if (await BlobCopy.CopyVerifiedAsync(AdminSettings.BlobPath(backupBlobs, blob.Sha256), target, blob, ct) is { } problem)
            {
                throw new AdminCommandException($"Restoring the blobs failed: {problem}");
            }
        }
        output.WriteLine($"blobs: {manifest.Blobs.Count} in {settings.BlobRoot}, each verified");

        if (manifest.KeyRing)
        {
            RestoreKeyRing(Path.Combine(from, "keys"), settings.KeyRingDirectory, output);
        }
        output.WriteLine($"restore complete into {settings.DataDirectory}");
    }

    private static async Task RestoreSqliteAsync(AdminSettings settings, string backupFile, CancellationToken ct)
    {
        if (settings.Provider != DatabaseProvider.Sqlite)
        {
            throw new AdminCommandException($"This backup holds a SQLite database, but this server is configured for {settings.Provider}.");
        }
        var target = new SqliteConnectionStringBuilder(settings.ConnectionString) { Pooling = false };
        if (File.Exists(target.DataSource))
        {
            throw new AdminCommandException($"{target.DataSource} already exists: restore into a fresh data directory, or move the present one aside first (with the server stopped).");
        }
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(target.DataSource))!);
        await using var source = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = backupFile, Pooling = false, Mode = SqliteOpenMode.ReadOnly }.ToString());
        await using var copy = new SqliteConnection(target.ToString());
        await source.OpenAsync(ct);
        await copy.OpenAsync(ct);
        source.BackupDatabase(copy);
        await using var command = copy.CreateCommand();
        command.CommandText = "PRAGMA integrity_check;";
        var result = (string?)await command.ExecuteScalarAsync(ct);
        if (result != "ok")
        {
            throw new AdminCommandException($"The restored database fails SQLite's integrity check: {result}");
        }
    }

    private static void RestoreKeyRing(string from, string to, TextWriter output)
    {
        Directory.CreateDirectory(to);
        var copied = 0;
        foreach (var file in Directory.EnumerateFiles(from))
        {
            var target = Path.Combine(to, Path.GetFileName(file));
            if (!File.Exists(target))
            {
                File.Copy(file, target);
                copied++;
            }
        }
        output.WriteLine($"key ring: {copied} key files restored into {to}");
    }
}
