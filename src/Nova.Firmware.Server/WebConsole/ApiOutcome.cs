using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Nova.Firmware.Server.WebConsole;

/// <summary>
/// The console calls the API's own handlers in-process, so every rule (validation, conflicts, not
/// found) is the API's; this reads their answer: the value, or the problem in words.
/// </summary>
public sealed record ApiOutcome<T>(T? Value, int Status, string? Error)
{
    public bool Ok => Error is null && Value is not null;

    public static ApiOutcome<T> From(IResult result)
    {
        while (result is INestedHttpResult nested)
        {
            result = nested.Result;
        }
        var status = (result as IStatusCodeHttpResult)?.StatusCode ?? StatusCodes.Status200OK;
        return result switch
        {
            ValidationProblem v => new(default, status, string.Join(" ", v.ProblemDetails.Errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"))),
            ProblemHttpResult p => new(default, status, p.ProblemDetails.Detail ?? p.ProblemDetails.Title ?? $"Refused ({status})."),
            IValueHttpResult { Value: T value } => new(value, status, null),
            _ when status >= 400 => new(default, status, $"Refused ({status})."),
            _ => new(default, status, null),
        };
    }
}

/// <summary>For handlers that answer with an anonymous object: its JSON, as an API client would read it.</summary>
public static class ApiJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    public static ApiOutcome<JsonElement?> From(IResult result)
    {
        var outcome = ApiOutcome<object>.From(result);
        return new(outcome.Value is null ? null : JsonSerializer.SerializeToElement(outcome.Value, Options), outcome.Status, outcome.Error);
    }
}
