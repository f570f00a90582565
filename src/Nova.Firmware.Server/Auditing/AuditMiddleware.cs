using System.Security.Claims;
using Microsoft.AspNetCore.Routing.Patterns;
using Nova.Firmware.Domain.Accounts;
using Nova.Firmware.Persistence;

namespace Nova.Firmware.Server.Auditing;

/// <summary>
/// Writes one audit entry for every mutating call under /api/v1: successes, validation failures,
/// 401/403 refusals and handler crashes alike. It sits after authentication (so it knows who) and
/// before authorization (so it sees the refusals). The entry is written through its own
/// DbContext, never the request's, so a handler's half-done changes are not saved with it.
/// </summary>
public sealed partial class AuditMiddleware(RequestDelegate next, IServiceScopeFactory scopes, TimeProvider time, ILogger<AuditMiddleware> log)
{
    public const string ApiPrefix = "/api/v1";

    /// <summary>Recorded when the client closed the connection before the answer (nginx's 499).</summary>
    public const int StatusClientClosedRequest = 499;

    public async Task InvokeAsync(HttpContext context)
    {
        if (!IsAudited(context.Request))
        {
            await next(context);
            return;
        }
        var at = time.GetUtcNow();
        var crashed = false;
        int? refusedAs = null;
        try
        {
            await next(context);
        }
        catch (Exception e)
        {
            // A malformed request (bad JSON, truncated body) is answered 4xx by the exception handler.
            refusedAs = Hardening.BadRequestProblemHandler.StatusOf(e);
            crashed = refusedAs is null;
            throw;
        }
        finally
        {
            // When the handler threw, the status is not set yet; the exception handler will answer 500.
            var status = refusedAs ?? (crashed ? StatusCodes.Status500InternalServerError : context.Response.StatusCode);
            var entry = Describe(context, at, status, crashed);
            if (!crashed && context.RequestAborted.IsCancellationRequested && status < 400)
            {
                // The client went away before the answer: whatever the handler meant to report, the
                // call did not complete for the caller (an upload cut short must not read "succeeded").
                entry.StatusCode = StatusClientClosedRequest;
                entry.Outcome = AuditOutcome.Failed;
                entry.Detail = "request aborted by the client";
            }
            await WriteAsync(entry);
        }
    }

    private static bool IsAudited(HttpRequest request) =>
        request.Path.StartsWithSegments(ApiPrefix, StringComparison.OrdinalIgnoreCase)
        && (HttpMethods.IsPost(request.Method) || HttpMethods.IsPut(request.Method)
            || HttpMethods.IsPatch(request.Method) || HttpMethods.IsDelete(request.Method));

    internal static AuditEntry Describe(HttpContext context, DateTimeOffset at, int status, bool crashed)
    {
        var endpoint = context.GetEndpoint() as RouteEndpoint;
        var template = endpoint?.RoutePattern is { } pattern ? Template(pattern) : context.Request.Path.Value ?? "";
        var location = context.Response.Headers.Location.ToString();
        var target = status is >= 200 and < 300 && location.Length > 0
            ? location
            : string.Join(",", context.Request.RouteValues.Select(v => $"{v.Key}={v.Value}"));
        var credentials = context.Request.Headers.Authorization.ToString().Split(' ', 2)[0];
        return new AuditEntry
        {
            At = at,
            // Column limits: an unmatched path or a long key name must not make the entry unwritable.
            Actor = Truncate(Actor(context.User), 200),
            Action = Truncate($"{context.Request.Method} {template}", 200),
            Target = Truncate(target, 500),
            StatusCode = status,
            Outcome = AuditOutcome.Of(status),
            Detail = crashed ? "unhandled error" : credentials.Length > 0 ? $"credentials: {Truncate(credentials, 20)}" : null,
        };
    }

    private static string Actor(ClaimsPrincipal user) =>
        user.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name } ? name : "anonymous";

    /// <summary>"/api/v1/devices/{id}" — the template without constraints, as people write it.</summary>
    private static string Template(RoutePattern pattern) =>
        "/" + string.Join("/", pattern.PathSegments.Select(s => string.Concat(s.Parts.Select(p => p switch
        {
            RoutePatternLiteralPart literal => literal.Content,
            RoutePatternParameterPart parameter => "{" + parameter.Name + "}",
            RoutePatternSeparatorPart separator => separator.Content,
            _ => "",
        }))));

    private static string Truncate(string value, int max) => value.Length <= max ? value : value[..max];

    private async Task WriteAsync(AuditEntry entry)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<FirmwareDbContext>();
            db.Add(entry);
            // Not the request's token: an aborted request is still audited.
            await db.SaveChangesAsync(CancellationToken.None);
        }
        catch (Exception ex)
        {
            // The response is already decided (often already sent); losing the entry is logged loudly
            // rather than turned into a second, misleading error for the caller.
            LogAuditWriteFailed(log, ex, entry.Action, entry.Actor, entry.StatusCode);
        }
    }

    [LoggerMessage(EventId = 1101, Level = LogLevel.Error, Message = "Could not write the audit entry for {Action} by {Actor} ({StatusCode})")]
    private static partial void LogAuditWriteFailed(ILogger logger, Exception exception, string action, string actor, int statusCode);
}
