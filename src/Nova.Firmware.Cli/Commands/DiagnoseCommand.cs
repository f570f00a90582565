using System.CommandLine;
using Nova.Firmware.Cli.Output;

namespace Nova.Firmware.Cli.Commands;

/// <summary><c>novafw diagnose [FILE|-]</c>: classify a failed update's log as the engine would; nothing is stored.</summary>
public static class DiagnoseCommand
{
    private const int MaxLines = 10_000;

    public static Command Create(CommandSet set)
    {
        var file = new Argument<string>("log") { Description = "Log file, or - (the default) for standard input", DefaultValueFactory = _ => "-" };
        var command = new Command("diagnose", "Diagnose the log of a failed update: cause, confidence and the lines that show it.") { file };
        set.Action(command, async (inv, ct) =>
        {
            var path = inv.Get(file);
            string text;
            if (path == "-")
            {
                text = await inv.Context.Input().ReadToEndAsync(ct);
            }
            else if (File.Exists(path))
            {
                text = await File.ReadAllTextAsync(path, ct);
            }
            else
            {
                throw CliException.Invalid($"Log file {Path.GetFullPath(path)} does not exist.");
            }
            var lines = text.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
            if (text.Length == 0)
            {
                throw CliException.Invalid("The log is empty.");
            }
            if (lines.Length > MaxLines)
            {
                throw CliException.Invalid($"The log has {lines.Length} lines; the server takes at most {MaxLines}. Give the lines around the failure.");
            }
            var result = await inv.Api.PostAsync("api/v1/diagnosis", new { lines }, ct);
            if (inv.Json)
            {
                inv.Out.PrintJson(result);
                return ExitCodes.Ok;
            }
            inv.Out.Fields(("cause", result.S("cause")), ("confidence", result.S("confidence")), ("summary", result.S("summary")),
                ("recovery", result.S("recovery")), ("article", result.S("article") is { } article ? inv.Api.Absolute(article) : null));
            if (result.TryGetProperty("evidence", out var evidence) && evidence.ValueKind == System.Text.Json.JsonValueKind.Array)
            {
                foreach (var line in evidence.EnumerateArray())
                {
                    inv.Out.Line("  " + (line.ValueKind == System.Text.Json.JsonValueKind.Object ? line.S("text") ?? line.ToString() : line.ToString()));
                }
            }
            return ExitCodes.Ok;
        });
        return command;
    }
}
