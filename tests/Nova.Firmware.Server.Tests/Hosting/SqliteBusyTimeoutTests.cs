using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Nova.Firmware.Persistence;

namespace Nova.Firmware.Server.Tests.Hosting;

/// <summary>
/// Every SQLite connection the product opens waits for the write lock inside SQLite (busy_timeout)
/// rather than in the driver's fixed 150 ms sleeps: see <see cref="SqliteBusyTimeout"/>.
/// </summary>
public sealed class SqliteBusyTimeoutTests
{
    [Fact]
    public async Task ProductConnections_WaitForTheWriteLockInsideSqlite_ForTheConnectionsTimeout()
    {
        var directory = Directory.CreateTempSubdirectory("nova-busy-");
        try
        {
            var services = new ServiceCollection()
                .AddFirmwarePersistence(DatabaseProvider.Sqlite, PersistenceServiceCollectionExtensions.SqliteConnectionString(directory.FullName))
                .BuildServiceProvider();
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<FirmwareDbContext>();

            var timeouts = await db.Database.SqlQueryRaw<long>("SELECT timeout AS Value FROM pragma_busy_timeout").ToListAsync();

            Assert.Equal([30_000L], timeouts);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            directory.Delete(recursive: true);
        }
    }
}
