using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Nova.Firmware.Persistence;

public static class PersistenceServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="FirmwareDbContext"/> on the chosen database. The context is scoped; its
    /// options are built once (singleton), not once per request: building them was a measurable part
    /// of every request that touches the database.
    /// </summary>
    public static IServiceCollection AddFirmwarePersistence(this IServiceCollection services, DatabaseProvider provider, string connectionString)
    {
        return provider switch
        {
            DatabaseProvider.Sqlite => services.AddDbContext<FirmwareDbContext, SqliteFirmwareDbContext>(o => o.UseSqlite(connectionString)
                .AddInterceptors(new SqliteBusyTimeout(TimeSpan.FromSeconds(new SqliteConnectionStringBuilder(connectionString).DefaultTimeout))),
                ServiceLifetime.Scoped, ServiceLifetime.Singleton),
            DatabaseProvider.Postgres => services.AddDbContext<FirmwareDbContext, PostgresFirmwareDbContext>(o => o.UseNpgsql(connectionString),
                ServiceLifetime.Scoped, ServiceLifetime.Singleton),
            _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, null),
        };
    }

    /// <summary>The connection string of the embedded database file under the data directory.</summary>
    public static string SqliteConnectionString(string dataDirectory) => new SqliteConnectionStringBuilder
    {
        DataSource = Path.Combine(dataDirectory, "nova-firmware.db"),
        Pooling = true,
        DefaultTimeout = 30,
    }.ToString();
}
