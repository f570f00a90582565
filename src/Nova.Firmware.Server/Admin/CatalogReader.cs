using System.Data.Common;

namespace Nova.Firmware.Server.Admin;

/// <summary>One package row as a backup needs it.</summary>
public sealed record CatalogPackage(string Sha256, long Size, bool Quarantined);

/// <summary>What a backup reads from a database: the packages' blobs, the job count, the schema's latest migration.</summary>
public sealed record CatalogSnapshot(IReadOnlyList<CatalogPackage> Packages, long Jobs, string? LatestMigration);

/// <summary>
/// Reads the catalog with plain SQL, not the EF model: a backup may be taken of a database an older
/// build created (before this build's first start migrated it), whose tables lack newer columns.
/// </summary>
public static class CatalogReader
{
    public static async Task<CatalogSnapshot> ReadAsync(DbConnection connection, bool sqlite, CancellationToken ct)
    {
        var hasQuarantine = await ScalarAsync<long>(connection, sqlite
            ? "SELECT COUNT(*) FROM pragma_table_info('packages') WHERE name = 'QuarantinedAt'"
            : "SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'packages' AND column_name = 'QuarantinedAt'", ct) > 0;
        var packages = new List<CatalogPackage>();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = hasQuarantine
                ? "SELECT \"Sha256\", \"Size\", \"QuarantinedAt\" IS NOT NULL FROM packages"
                : "SELECT \"Sha256\", \"Size\", 0 FROM packages";
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                packages.Add(new CatalogPackage(reader.GetString(0), reader.GetInt64(1), Convert.ToBoolean(reader.GetValue(2), System.Globalization.CultureInfo.InvariantCulture)));
            }
        }
        var jobs = await ScalarAsync<long>(connection, "SELECT COUNT(*) FROM device_jobs", ct);
        var migration = await ScalarAsync<string>(connection, "SELECT \"MigrationId\" FROM \"__EFMigrationsHistory\" ORDER BY \"MigrationId\" DESC LIMIT 1", ct);
        return new CatalogSnapshot(packages, jobs, migration);
    }

    private static async Task<T?> ScalarAsync<T>(DbConnection connection, string sql, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var value = await command.ExecuteScalarAsync(ct);
        return value is null or DBNull ? default : (T)Convert.ChangeType(value, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }
}
