using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;

namespace Nova.Firmware.Server.Endpoints.Management.Devices;

/// <summary>One CSV record with the physical line it starts on (quoted fields may span lines).</summary>
public sealed record CsvRow(int Line, IReadOnlyList<string> Fields, string? Malformed);

/// <summary>Reads RFC 4180 CSV (quoted fields, doubled quotes, CRLF or LF) record by record.</summary>
public static class CsvRows
{
    public static IEnumerable<CsvRow> Read(TextReader reader)
    {
        string? malformed = null;
        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            // Blank lines are kept so that line numbers stay exact; callers skip them.
            IgnoreBlankLines = false,
            DetectDelimiter = false,
            BadDataFound = args => malformed ??= $"Malformed quoting near \"{Shorten(args.Field)}\".",
        };
        using var parser = new CsvParser(reader, config);
        var lastLine = 0;
        while (parser.Read())
        {
            var fields = parser.Record ?? [];
            var row = new CsvRow(lastLine + 1, fields, malformed);
            lastLine = parser.RawRow;
            malformed = null;
            if (fields.Length == 1 && fields[0].Length == 0)
            {
                continue;
            }
            yield return row;
        }
    }

    private static string Shorten(string value) => value.Length <= 40 ? value : value[..40] + "…";
}
