using System.Text.Json;
using Nova.Firmware.Domain.Common;
using Nova.Firmware.Domain.Diagnosis;
using Nova.Firmware.Domain.Recovery;
using Nova.Firmware.Server.Articles;

namespace Nova.Firmware.Server.Endpoints.Management;

/// <summary>A pasted log: the lines as they were copied (timestamps, colours and all).</summary>
public sealed record DiagnosisRequest(IReadOnlyList<string> Lines);

/// <summary>
/// The classifier's verdict on a pasted log; <see cref="Cause"/> is the wire name ("power-loss").
/// <see cref="Recovery"/> says what the recovery ladder does about that cause, <see cref="Article"/>
/// is the support article's section that explains the fix (a path on this server).
/// </summary>
public sealed record DiagnosisResponse(string Cause, double Confidence, IReadOnlyList<string> Evidence, string Summary, string Recovery, string Article);

/// <summary>
/// <c>POST /api/v1/diagnosis</c>: support staff paste a failed update's log and get the cause the
/// job engine would give it. Nothing is stored. Any signed-in role may call it. The body is read by
/// hand, not bound, so that every bad entry is named (<c>lines[3]</c>) and its size is capped.
/// </summary>
public static class DiagnosisEndpoints
{
    public const int MaxLines = 10_000;
    public const int MaxBodyBytes = 1024 * 1024;
    private const int MaxReportedErrors = 20;

    public static RouteGroupBuilder MapDiagnosisEndpoints(this RouteGroupBuilder api)
    {
        api.MapPost("/diagnosis", DiagnoseAsync)
            .WithTags("Diagnosis")
            .WithSummary("Classify a pasted log of a failed update")
            .Accepts<DiagnosisRequest>("application/json")
            .Produces<DiagnosisResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        return api;
    }

    internal static async Task<IResult> DiagnoseAsync(HttpRequest request, CancellationToken ct)
    {
        if (!request.HasJsonContentType())
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type",
                detail: "Send application/json: {\"lines\": [\"...\", \"...\"]}.");
        }
        var body = await ReadCappedAsync(request, ct);
        if (body is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Log too large",
                detail: $"At most {MaxBodyBytes} bytes and {MaxLines} lines per request; send the part around the failure.");
        }
        var (lines, errors) = Parse(body);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }
        var diagnosis = FailureClassifier.ClassifyLines(lines);
        return TypedResults.Ok(new DiagnosisResponse(diagnosis.Cause.ToWire(), diagnosis.Confidence, diagnosis.Evidence, diagnosis.Summary,
            RecoveryPlan.For(diagnosis.Cause).Why, ArticleLinks.ForCause(diagnosis.Cause)));
    }

    /// <summary>The whole body, or null when it is larger than <see cref="MaxBodyBytes"/>.</summary>
    private static async Task<byte[]?> ReadCappedAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return null;
        }
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return null;
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    /// <summary><c>{"lines": [...]}</c>: an object whose <c>lines</c> (any case) is a non-empty array of at most <see cref="MaxLines"/> strings.</summary>
    internal static (List<string> Lines, List<FieldError> Errors) Parse(byte[] body)
    {
        var lines = new List<string>();
        var errors = new List<FieldError>();
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            errors.Add(new FieldError("body", $"Not valid JSON: {e.Message}"));
            return (lines, errors);
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                errors.Add(new FieldError("body", "Send an object: {\"lines\": [\"...\"]}."));
                return (lines, errors);
            }
            var value = document.RootElement.EnumerateObject()
                .Where(p => string.Equals(p.Name, "lines", StringComparison.OrdinalIgnoreCase)).Select(p => (JsonElement?)p.Value).FirstOrDefault();
            if (value is not { ValueKind: not JsonValueKind.Null } array)
            {
                errors.Add(new FieldError("lines", "Required: the log's lines, as an array of strings."));
            }
            else if (array.ValueKind != JsonValueKind.Array)
            {
                errors.Add(new FieldError("lines", "Must be an array of strings."));
            }
            else if (array.GetArrayLength() == 0)
            {
                errors.Add(new FieldError("lines", "Must hold at least one line."));
            }
            else if (array.GetArrayLength() > MaxLines)
            {
                errors.Add(new FieldError("lines", $"At most {MaxLines} lines per request; send the part around the failure."));
            }
            else
            {
                var index = 0;
                foreach (var item in array.EnumerateArray())
                {
                    if (item.ValueKind == JsonValueKind.String)
                    {
                        // A lone surrogate escape (\ud800) cannot become a string; NUL is no log text either.
                        if (TryGetText(item) is { } line && Domain.Common.TextRules.IsStorable(line))
                        {
                            lines.Add(line);
                        }
                        else if (errors.Count < MaxReportedErrors)
                        {
                            errors.Add(new FieldError($"lines[{index}]", "Must not contain NUL characters or broken Unicode."));
                        }
                    }
                    else if (errors.Count < MaxReportedErrors)
                    {
                        errors.Add(new FieldError($"lines[{index}]", $"Must be a string, not {item.ValueKind.ToString().ToLowerInvariant()}."));
                    }
                    index++;
                }
            }
        }
        return (lines, errors);
    }

    private static string? TryGetText(JsonElement item)
    {
        try
        {
            return item.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }
}
