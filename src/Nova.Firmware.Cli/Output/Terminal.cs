using System.Text.Encodings.Web;
using System.Text.Json;
using Spectre.Console;

namespace Nova.Firmware.Cli.Output;

/// <summary>
/// What a command prints: tables and progress for people (Spectre.Console), or the server's JSON as
/// it came for scripts (<c>--json</c>). Without a terminal there are no colours and no live redraws.
/// </summary>
public sealed class Terminal
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public Terminal(CliContext context, bool json)
    {
        Json = json;
        Writer = context.Output;
        Console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(context.Output),
            Ansi = context.Interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = context.Interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = context.Interactive ? InteractionSupport.Yes : InteractionSupport.No,
        });
        if (!context.Interactive)
        {
            // Tests and pipes: a wide fixed width, so tables never wrap cell text mid-word.
            Console.Profile.Width = 200;
        }
    }

    public bool Json { get; }
    public TextWriter Writer { get; }
    public IAnsiConsole Console { get; }

    public void PrintJson(JsonElement element) => Writer.WriteLine(JsonSerializer.Serialize(element, Indented));

    public void Line(string text) => Writer.WriteLine(text);

    /// <summary>A table of <paramref name="rows"/>, one column per (header, value) pair.</summary>
    public void Table(IEnumerable<JsonElement> rows, params (string Header, Func<JsonElement, string?> Value)[] columns)
    {
        var table = new Table().Border(TableBorder.Simple);
        foreach (var (header, _) in columns)
        {
            // The first column names the row (an id, a wave): never broken over lines.
            table.AddColumn(table.Columns.Count == 0 ? new TableColumn(header).NoWrap() : new TableColumn(header));
        }
        foreach (var row in rows)
        {
            table.AddRow(columns.Select(c => Markup.Escape(c.Value(row) ?? "")).ToArray());
        }
        Console.Write(table);
    }

    /// <summary>Name/value lines for one object.</summary>
    public void Fields(params (string Name, string? Value)[] fields)
    {
        var grid = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
        foreach (var (name, value) in fields.Where(f => !string.IsNullOrEmpty(f.Value)))
        {
            grid.AddRow(Markup.Escape(name), Markup.Escape(value!));
        }
        Console.Write(grid);
    }
}
