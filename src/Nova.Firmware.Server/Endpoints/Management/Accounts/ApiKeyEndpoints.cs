using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Nova.Firmware.Domain.Accounts;
using Nova.Firmware.Domain.Common;
using Nova.Firmware.Persistence;
using Nova.Firmware.Server.Auth;

namespace Nova.Firmware.Server.Endpoints.Management.Accounts;

/// <summary>API keys for scripts (admins only). A key is shown once at creation; revoking is permanent.</summary>
public static class ApiKeyEndpoints
{
    /// <summary>How much of the key is kept in clear so admins can tell keys apart ("nfk_" + 8 characters).</summary>
    public const int PrefixLength = 12;

    public static RouteGroupBuilder MapApiKeyEndpoints(this RouteGroupBuilder api)
    {
        var keys = api.MapGroup("/api-keys").WithTags("Accounts").RequireAuthorization(Policies.Admin);
        keys.MapGet("/", ListAsync);
        keys.MapPost("/", CreateAsync);
        keys.MapDelete("/{id:guid}", RevokeAsync);
        return api;
    }

    internal static async Task<Ok<List<ApiKeyResponse>>> ListAsync(FirmwareDbContext db, CancellationToken cancellationToken)
    {
        var keys = await db.Set<ApiKey>().AsNoTracking().OrderBy(k => k.Name).ThenBy(k => k.Id).ToListAsync(cancellationToken);
        return TypedResults.Ok(keys.Select(k => new ApiKeyResponse(k.Id, k.Name, k.Prefix, k.Role.ToWire(), k.CreatedBy, k.CreatedAt, k.RevokedAt, k.LastUsedAt)).ToList());
    }

    internal static async Task<Results<Created<ApiKeyCreated>, ValidationProblem>> CreateAsync(
        ApiKeyCreateRequest request, FirmwareDbContext db, ClaimsPrincipal caller, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var name = request.Name?.Trim() ?? "";
        if (name.Length is 0 or > 200)
        {
            errors["name"] = ["Required: 1 to 200 characters."];
        }
        var role = UserEndpoints.ParseRole(errors, request.Role, required: true);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        var secret = ApiKeySecrets.NewKey();
        var now = time.GetUtcNow();
        var key = new ApiKey
        {
            Id = Guid.CreateVersion7(now),
            Name = name,
            Prefix = secret[..PrefixLength],
            KeyHash = ApiKeySecrets.Hash(secret),
            Role = role,
            // The user behind the caller, also when the caller is another key: the new key lives as long as that user's account and role.
            CreatedBy = caller.FindFirstValue(CredentialCheck.OwnerClaim) ?? caller.Identity?.Name ?? "unknown",
            CreatedAt = now,
        };
        db.Add(key);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/v1/api-keys/{key.Id}", new ApiKeyCreated(key.Id, key.Name, key.Prefix, role.ToWire(), now, secret));
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> RevokeAsync(Guid id, FirmwareDbContext db, CredentialRevocations revocations, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var key = await db.Set<ApiKey>().SingleOrDefaultAsync(k => k.Id == id, cancellationToken);
        if (key is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "API key not found", detail: $"No API key has id {id}.");
        }
        // Revoking twice keeps the first revocation time.
        key.RevokedAt ??= time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        revocations.Revoke(CredentialRevocations.KeySubject(id));
        return TypedResults.NoContent();
    }
}
