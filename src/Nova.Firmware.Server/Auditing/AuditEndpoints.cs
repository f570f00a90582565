using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Nova.Firmware.Domain.Accounts;
using Nova.Firmware.Persistence;
using Nova.Firmware.Server.Auth;
using Nova.Firmware.Server.Endpoints.Management;

namespace Nova.Firmware.Server.Auditing;

public sealed record AuditQuery(string? Actor, string? Action, DateTimeOffset? From, DateTimeOffset? To, int? Page, int? PageSize);

public sealed record AuditEntryResponse(long Id, DateTimeOffset At, string Actor, string Action, string Target, int StatusCode, string Outcome, string? Detail);

/// <summary><c>GET /api/v1/audit</c>: the audit log, newest first, admins only.</summary>
public static class AuditEndpoints
{
    public static RouteGroupBuilder MapAuditEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/audit", ListAsync).WithTags("Audit").RequireAuthorization(Policies.Admin);
        return api;
    }

    /// <param name="query">actor: exact; action: prefix ("DELETE" or "POST /api/v1/devices"); from inclusive, to exclusive.</param>
    internal static async Task<Results<Ok<Paged<AuditEntryResponse>>, ValidationProblem>> ListAsync(
        [AsParameters] AuditQuery query, FirmwareDbContext db, CancellationToken cancellationToken)
    {
        var errors = Paging.Check(query.Page, query.PageSize, out var page, out var pageSize);
        if (query is { From: { } from, To: { } to } && from > to)
        {
            errors["to"] = ["Must not be before 'from'."];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        var entries = db.Set<AuditEntry>().AsNoTracking();
        if (!string.IsNullOrWhiteSpace(query.Actor))
        {
            entries = entries.Where(e => e.Actor == query.Actor);
        }
        if (!string.IsNullOrWhiteSpace(query.Action))
        {
            entries = entries.Where(e => e.Action.StartsWith(query.Action));
        }
        if (query.From is { } fromAt)
        {
            var fromUtc = fromAt.ToUniversalTime();
            entries = entries.Where(e => e.At >= fromUtc);
        }
        if (query.To is { } toAt)
        {
            var toUtc = toAt.ToUniversalTime();
            entries = entries.Where(e => e.At < toUtc);
        }
        var total = await entries.CountAsync(cancellationToken);
        var items = await entries.OrderByDescending(e => e.At).ThenByDescending(e => e.Id)
            .Skip((page - 1) * pageSize).Take(pageSize)
            .Select(e => new AuditEntryResponse(e.Id, e.At, e.Actor, e.Action, e.Target, e.StatusCode, e.Outcome, e.Detail))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new Paged<AuditEntryResponse>(items, page, pageSize, total));
    }
}
