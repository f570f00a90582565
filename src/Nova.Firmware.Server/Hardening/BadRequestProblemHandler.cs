using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;

namespace Nova.Firmware.Server.Hardening;

/// <summary>
/// Turns a malformed request into a 4xx problem document instead of a 500: bodies that are not
/// JSON, JSON of the wrong shape, wrong content types, query values that do not parse (minimal
/// APIs throw these with <c>ThrowOnBadRequest</c>), and what Kestrel refuses while a handler reads
/// the body (truncated, too large). A JSON error names the field by its path; the value is never
/// quoted, since it may be a password.
/// </summary>
public sealed class BadRequestProblemHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (StatusOf(exception) is not { } status || httpContext.Response.HasStarted)
        {
            return false;
        }
        httpContext.Response.StatusCode = status;
        var json = Find<JsonException>(exception);
        var problem = new Microsoft.AspNetCore.Mvc.ProblemDetails
        {
            Status = status,
            Title = status switch
            {
                StatusCodes.Status413PayloadTooLarge => "Request body too large",
                StatusCodes.Status415UnsupportedMediaType => "Unsupported content type",
                _ => json is not null ? "Malformed JSON body" : "Malformed request",
            },
            Detail = json is not null ? null : exception.Message,
        };
        if (json is not null)
        {
            var field = FieldName(json.Path);
            var message = json is UnstorableTextException ? json.Message : "Not valid here: wrong type, malformed or truncated JSON.";
            problem.Extensions["errors"] = new Dictionary<string, string[]> { [field] = [message] };
        }
        else if (Find<BadHttpRequestException>(exception) is { } bad && BoundParameter(bad.Message) is { } parameter)
        {
            // A query or route value that does not parse (page=abc, page=99999999999): named like a
            // validation error, so a client finds the field the same way for every 400.
            problem.Extensions["errors"] = new Dictionary<string, string[]> { [parameter] = ["Not a valid value for this parameter."] };
        }
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
    }

    /// <summary>The 4xx status a malformed request deserves, or null for a real server error.</summary>
    public static int? StatusOf(Exception exception) => exception switch
    {
        BadHttpRequestException bad when bad.StatusCode is >= 400 and < 500 => bad.StatusCode,
        JsonException => StatusCodes.Status400BadRequest,
        // Form and multipart parsing: no boundary, truncated, a part header or section over its limit.
        InvalidDataException data when data.Message.Contains("limit", StringComparison.OrdinalIgnoreCase) => StatusCodes.Status413PayloadTooLarge,
        InvalidDataException => StatusCodes.Status400BadRequest,
        _ when exception.InnerException is { } inner => StatusOf(inner),
        _ => null,
    };

    private static T? Find<T>(Exception? exception) where T : Exception
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is T found)
            {
                return found;
            }
        }
        return null;
    }

    /// <summary>
    /// The parameter a binding failure names ("Failed to bind parameter \"int? page\" from ..."), in
    /// camel case as the query spells it (a property of an [AsParameters] type is "Page"); null otherwise.
    /// </summary>
    internal static string? BoundParameter(string message)
    {
        const string prefix = "Failed to bind parameter \"";
        if (!message.StartsWith(prefix, StringComparison.Ordinal))
        {
            return null;
        }
        var end = message.IndexOf('"', prefix.Length);
        if (end < 0)
        {
            return null;
        }
        var declaration = message[prefix.Length..end];
        var name = declaration[(declaration.LastIndexOf(' ') + 1)..];
        return name.Length == 0 ? null : char.ToLowerInvariant(name[0]) + name[1..];
    }

    /// <summary>"$.storage.freeBytes" → "storage.freeBytes"; the whole body is "body".</summary>
    internal static string FieldName(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? "body" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
}
