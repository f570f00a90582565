using Npgsql;
using Nova.Firmware.Persistence;

namespace Nova.Firmware.Server.Tests.Infrastructure;

/// <summary>
/// The databases every store test runs against. PostgreSQL comes from NOVA_TEST_POSTGRES
/// (default: the local server `.ci/run` starts); each test server gets a fresh database of its own.
/// </summary>
public static class TestDatabases
{
    public static readonly string PostgresAdminConnection =
        Environment.GetEnvironmentVariable("NOVA_TEST_POSTGRES") ?? "Host=127.0.0.1;Port=5432;Username=nova;Password=nova;Database=postgres";

    /// <summary>xunit data: run a test once per database.</summary>
    public static TheoryData<DatabaseProvider> All => new() { DatabaseProvider.Sqlite, DatabaseProvider.Postgres };

    public static async Task<string> CreatePostgresDatabaseAsync()
    {
        var name = "nova_test_" + Guid.NewGuid().ToString("N")[..12];
        await using (var conn = new NpgsqlConnection(PostgresAdminConnection))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE {name}", conn);
            await cmd.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(PostgresAdminConnection) { Database = name, Pooling = false }.ConnectionString;
    }

    /// <summary>A connection string to a database that does not exist (yet).</summary>
    public static string MissingPostgresDatabase() =>
        new NpgsqlConnectionStringBuilder(PostgresAdminConnection) { Database = "nova_test_" + Guid.NewGuid().ToString("N")[..12], Pooling = false }.ConnectionString;

    /// <summary>
    /// Drops a test database; cleanup only, so it never fails a test. FORCE must end every session on
    /// it, and an autovacuum worker visiting the fresh database is one our role may not end (42501):
    /// wait for it to finish and try again.
    /// </summary>
    public static async Task DropPostgresDatabaseAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var conn = new NpgsqlConnection(PostgresAdminConnection);
                await conn.OpenAsync();
                await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", conn);
                await cmd.ExecuteNonQueryAsync();
                return;
            }
            catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.InsufficientPrivilege or PostgresErrorCodes.ObjectInUse)
            {
                if (attempt == 20)
                {
                    Console.Error.WriteLine($"Test database {name} left behind: {e.MessageText}");
                    return;
                }
                await Task.Delay(250);
            }
        }
    }
}
