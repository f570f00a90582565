using System.Data.Common;
using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Nova.Firmware.Domain.Accounts;
using Nova.Firmware.Persistence;
using Nova.Firmware.Server.Tests.Infrastructure;

namespace Nova.Firmware.Server.Tests.Hardening;

/// <summary>
/// Every row of every table the model maps, as text, so two dumps can be compared. The audit log is
/// left out: recording refused calls is its job. Tables come from the EF model, so tables added
/// later are dumped too.
/// </summary>
public static class DatabaseDump
{
    public static async Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> TakeAsync(NovaServer server)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FirmwareDbContext>();
        var audit = db.Model.FindEntityType(typeof(AuditEntry))?.GetTableName();
        var tables = db.Model.GetEntityTypes().Select(e => e.GetTableName()).OfType<string>().Where(t => t != audit).Distinct().Order(StringComparer.Ordinal).ToList();
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync();
        var dump = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var table in tables)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT * FROM \"{table}\"";
            await using var reader = await command.ExecuteReaderAsync();
            var rows = new List<string>();
            while (await reader.ReadAsync())
            {
                rows.Add(Row(reader));
            }
            rows.Sort(StringComparer.Ordinal);
            dump[table] = rows;
        }
        return dump;
    }

    /// <summary>The tables whose rows differ, with a short description of the difference.</summary>
    public static IReadOnlyList<string> Differences(IReadOnlyDictionary<string, IReadOnlyList<string>> before, IReadOnlyDictionary<string, IReadOnlyList<string>> after) =>
        before.Keys.Union(after.Keys)
            .Where(t => !before.GetValueOrDefault(t, []).SequenceEqual(after.GetValueOrDefault(t, [])))
            .Select(t => $"{t}: +[{string.Join(" | ", after.GetValueOrDefault(t, []).Except(before.GetValueOrDefault(t, [])).Select(Short))}] -[{string.Join(" | ", before.GetValueOrDefault(t, []).Except(after.GetValueOrDefault(t, [])).Select(Short))}]")
            .ToList();

    private static string Short(string row) => row.Length > 300 ? row[..300] + "…" : row;

    private static string Row(DbDataReader reader)
    {
        var text = new StringBuilder();
        for (var i = 0; i < reader.FieldCount; i++)
        {
            var value = reader.IsDBNull(i) ? "null" : reader.GetValue(i) switch
            {
                byte[] bytes => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(bytes)),
                IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                var v => v.ToString() ?? "",
            };
            text.Append(reader.GetName(i)).Append('=').Append(value).Append('\u241F');
        }
        return text.ToString();
    }
}
