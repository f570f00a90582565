using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Nova.Firmware.Domain.Accounts;
using Nova.Firmware.Persistence;

namespace Nova.Firmware.Server.Auth;

/// <summary>
/// Whether a credential still stands, read from the database: the user exists and is enabled; the
/// API key is not revoked and its owner (the user who created it) exists, is enabled and still has
/// at least the key's role. Used at sign-in and again, periodically, by long-lived requests.
/// </summary>
public static class CredentialCheck
{
    public const string SubjectClaim = "nova:subject";
    public const string OwnerClaim = "nova:owner";

    /// <summary>The owner a key's CreatedBy names, or null when it was created by something that is not a user.</summary>
    public static string? OwnerOf(ApiKey key) => key.CreatedBy.StartsWith("apikey:", StringComparison.Ordinal) ? null : key.CreatedBy;

    /// <summary>Why the key's owner no longer vouches for it; null when it does.</summary>
    public static string? OwnerProblem(ApiKey key, User? owner) =>
        owner is null ? "The API key's owner no longer exists."
        : owner.Disabled ? "The API key's owner is disabled."
        : owner.Role < key.Role ? "The API key's owner no longer has the key's role."
        : null;

    public static async Task<User?> FindOwnerAsync(FirmwareDbContext db, ApiKey key, CancellationToken ct) =>
        OwnerOf(key) is { } owner ? await db.Set<User>().AsNoTracking().SingleOrDefaultAsync(u => u.UserName == owner, ct) : null;

    /// <summary>True while the principal's credential is still valid.</summary>
    public static async Task<bool> StillStandsAsync(FirmwareDbContext db, ClaimsPrincipal principal, CancellationToken ct)
    {
        var subject = principal.FindFirstValue(SubjectClaim);
        if (subject is null)
        {
            return false;
        }
        if (subject.StartsWith("user:", StringComparison.Ordinal))
        {
            var name = subject["user:".Length..];
            return await db.Set<User>().AsNoTracking().AnyAsync(u => u.UserName == name && !u.Disabled, ct);
        }
        if (subject.StartsWith("key:", StringComparison.Ordinal) && Guid.TryParseExact(subject["key:".Length..], "N", out var id))
        {
            var key = await db.Set<ApiKey>().AsNoTracking().SingleOrDefaultAsync(k => k.Id == id, ct);
            return key is { IsActive: true } && OwnerProblem(key, await FindOwnerAsync(db, key, ct)) is null;
        }
        return false;
    }
}
