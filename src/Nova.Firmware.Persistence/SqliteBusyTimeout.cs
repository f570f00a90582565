using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Nova.Firmware.Persistence;

/// <summary>
/// Lets SQLite itself wait for the write lock (PRAGMA busy_timeout) on every connection the product
/// opens. Without it, a writer that finds the lock taken is retried by Microsoft.Data.Sqlite after a
/// fixed 150 ms sleep: with the DDI handlers, the last-seen flush and the job loop all writing, most
/// writes then cost 150–350 ms and the job loop's steps fall tens of seconds behind the devices.
/// SQLite's own handler retries within a few milliseconds of the lock coming free.
/// The setting belongs to the native connection, which the pool keeps between opens, so it is set
/// once per native connection rather than on every open (each open was one more statement to parse).
/// </summary>
public sealed class SqliteBusyTimeout(TimeSpan wait) : DbConnectionInterceptor
{
    private readonly string _pragma = $"PRAGMA busy_timeout = {(long)wait.TotalMilliseconds};";
    private readonly ConditionalWeakTable<object, object> _done = new();

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        if (NeedsPragma(connection))
        {
            using var command = connection.CreateCommand();
            command.CommandText = _pragma;
            command.ExecuteNonQuery();
        }
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (NeedsPragma(connection))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = _pragma;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>True once per native connection; always true for a connection that is not SQLite's.</summary>
    private bool NeedsPragma(DbConnection connection) =>
        connection is not SqliteConnection { Handle: { } native } || _done.TryAdd(native, this);
}
