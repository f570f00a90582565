using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Nova.Firmware.Persistence;

public static class PersistenceServiceCollectionExtensions
{
    /// <summary>Registers <see cref="FirmwareDbContext"/> on the chosen database.</summary>
    public static IServiceCollection AddFirmwarePersistence(this IServiceCollection services, DatabaseProvider provider, string connectionString)
    {
        return provider switch
        {
            DatabaseProvider.Sqlite => services.AddDbContext<FirmwareDbContext, SqliteFirmwareDbContext>(o => o.UseSqlite(connectionString)
                .AddInterceptors(new SqliteBusyTimeout(TimeSpan.FromSeconds(new SqliteConnectionStringBuilder(connectionString).DefaultTimeout)))),
            DatabaseProvider.Postgres => services.AddDbContext<FirmwareDbContext, PostgresFirmwareDbContext>(o => o.UseNpgsql(connectionString)),
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
