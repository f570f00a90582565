using System.CommandLine;
using System.Text.Json;
using Nova.Firmware.Cli.Output;

namespace Nova.Firmware.Cli.Commands;

/// <summary>Query strings from options: only the given values, escaped.</summary>
public static class Query
{
    public static string Path(string path, params (string Name, string? Value)[] values)
    {
        var given = values.Where(v => !string.IsNullOrEmpty(v.Value)).Select(v => $"{v.Name}={Uri.EscapeDataString(v.Value!)}").ToList();
        return given.Count == 0 ? path : $"{path}?{string.Join('&', given)}";
    }
}

/// <summary>--page and --page-size, passed to the server as they are (it refuses bad values with a 400 naming them).</summary>
public sealed class Paging
{
    public Option<int?> Page { get; } = new("--page") { Description = "Page number, from 1" };
    public Option<int?> PageSize { get; } = new("--page-size") { Description = "Items per page, 1-500 (server default 50)" };

    /// <summary>The path with the given filters and the paging options.</summary>
    public string Path(Invocation inv, string path, params (string Name, string? Value)[] values) =>
        Query.Path(path, [.. values,
            ("page", inv.Get(Page)?.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("pageSize", inv.Get(PageSize)?.ToString(System.Globalization.CultureInfo.InvariantCulture))]);

    public static void Footer(Invocation inv, JsonElement page)
    {
        if (page.ValueKind == JsonValueKind.Object && page.TryGetProperty("total", out _))
        {
            inv.Out.Line($"page {page.S("page")}, {page.S("total")} in all");
        }
    }
}
