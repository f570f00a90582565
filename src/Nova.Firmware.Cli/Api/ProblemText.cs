using System.Net;
using System.Text;
using System.Text.Json;

namespace Nova.Firmware.Cli.Api;

/// <summary>Turns an error answer (an RFC 7807 problem document, or anything else) into one readable line and an exit code.</summary>
public static class ProblemText
{
    public static int ExitCodeFor(HttpStatusCode status) => (int)status switch
    {
        401 or 403 => ExitCodes.AuthRefused,
        404 or 409 => ExitCodes.NotFoundOrConflict,
        400 or 413 or 415 or 422 => ExitCodes.InvalidInput,
        _ => ExitCodes.Failure,
    };

    public static string Describe(HttpStatusCode status, string body)
    {
        var line = new StringBuilder();
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                line.Append(Text(root, "title") ?? status.ToString());
                if (Text(root, "detail") is { } detail)
                {
                    line.Append(": ").Append(detail);
                }
                AppendErrors(line, root);
            }
        }
        catch (JsonException)
        {
            // not a problem document (a proxy's page, an empty body): fall back to the status below
        }
        if (line.Length == 0)
        {
            line.Append((int)status).Append(' ').Append(status);
        }
        return (int)status switch
        {
            401 => line + " (check the API key: novafw config set --api-key KEY, or NOVAFW_API_KEY)",
            403 => line + " (this API key's role is too low for the command)",
            _ => line.ToString(),
        };
    }

    private static void AppendErrors(StringBuilder line, JsonElement root)
    {
        if (!root.TryGetProperty("errors", out var errors))
        {
            return;
        }
        var parts = new List<string>();
        if (errors.ValueKind == JsonValueKind.Object)
        {
            foreach (var field in errors.EnumerateObject())
            {
                var messages = field.Value.ValueKind == JsonValueKind.Array
                    ? string.Join(" ", field.Value.EnumerateArray().Select(m => m.ToString()))
                    : field.Value.ToString();
                parts.Add($"{field.Name}: {messages}");
            }
        }
        else if (errors.ValueKind == JsonValueKind.Array)
        {
            foreach (var error in errors.EnumerateArray().Take(10))
            {
                var where = error.TryGetProperty("line", out var l) ? $"line {l}" : error.TryGetProperty("index", out var i) ? $"#{i}" : null;
                var field = Text(error, "field");
                var message = Text(error, "message") ?? error.ToString();
                parts.Add(string.Join(" ", new[] { where, field is null ? null : field + ":", message }.Where(p => p is not null)));
            }
        }
        if (parts.Count > 0)
        {
            line.Append(" (").Append(string.Join("; ", parts)).Append(')');
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
