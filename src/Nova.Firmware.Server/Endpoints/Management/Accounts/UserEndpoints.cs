using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Nova.Firmware.Domain.Accounts;
using Nova.Firmware.Domain.Common;
using Nova.Firmware.Persistence;
using Nova.Firmware.Server.Auth;

namespace Nova.Firmware.Server.Endpoints.Management.Accounts;

/// <summary>Operator accounts (admins only). The last enabled admin cannot be removed, demoted or disabled.</summary>
public static class UserEndpoints
{
    public const int MinPasswordLength = PasswordRule.MinLength;

    public static RouteGroupBuilder MapUserEndpoints(this RouteGroupBuilder api)
    {
        var users = api.MapGroup("/users").WithTags("Accounts").RequireAuthorization(Policies.Admin);
        users.MapGet("/", ListAsync);
        users.MapPost("/", CreateAsync);
        users.MapPut("/{id:guid}", UpdateAsync);
        users.MapDelete("/{id:guid}", DeleteAsync);
        return api;
    }

    internal static async Task<Ok<List<UserResponse>>> ListAsync(FirmwareDbContext db, CancellationToken cancellationToken)
    {
        var users = await db.Set<User>().AsNoTracking().OrderBy(u => u.UserName).ToListAsync(cancellationToken);
        return TypedResults.Ok(users.Select(ToResponse).ToList());
    }

    internal static async Task<Results<Created<UserResponse>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        UserCreateRequest request, FirmwareDbContext db, PasswordVerifier passwords, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var userName = request.UserName?.Trim() ?? "";
        if (userName.Length is 0 or > 100 || userName.Contains(':', StringComparison.Ordinal) || userName.Any(char.IsWhiteSpace) || userName.Any(char.IsControl))
        {
            errors["userName"] = ["Required: 1 to 100 characters, no spaces and no ':' (it is sent in HTTP Basic credentials)."];
        }
        CheckPassword(errors, request.Password);
        var role = ParseRole(errors, request.Role, required: true);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        if (await db.Set<User>().AnyAsync(u => u.UserName == userName, cancellationToken))
        {
            return Duplicate(userName);
        }
        var user = new User { Id = Guid.CreateVersion7(time.GetUtcNow()), UserName = userName, PasswordHash = "", Role = role, CreatedAt = time.GetUtcNow() };
        user.PasswordHash = passwords.Hash(user, request.Password!);
        db.Add(user);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            if (await db.Set<User>().AsNoTracking().AnyAsync(u => u.UserName == userName, cancellationToken))
            {
                return Duplicate(userName);
            }
            throw;
        }
        return TypedResults.Created($"/api/v1/users/{user.Id}", ToResponse(user));
    }

    internal static async Task<Results<Ok<UserResponse>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        Guid id, UserUpdateRequest request, FirmwareDbContext db, PasswordVerifier passwords, CredentialRevocations revocations, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.Password is not null)
        {
            CheckPassword(errors, request.Password);
        }
        var role = request.Role is null ? (UserRole?)null : ParseRole(errors, request.Role, required: true);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        var user = await db.Set<User>().SingleOrDefaultAsync(u => u.Id == id, cancellationToken);
        if (user is null)
        {
            return NotFound(id);
        }
        var losesAdmin = user is { Role: UserRole.Admin, Disabled: false } && ((role is { } r && r != UserRole.Admin) || request.Disabled == true);
        if (losesAdmin && await IsLastAdminAsync(db, user, cancellationToken))
        {
            return LastAdmin();
        }
        user.Role = role ?? user.Role;
        user.Disabled = request.Disabled ?? user.Disabled;
        if (request.Password is not null)
        {
            user.PasswordHash = passwords.Hash(user, request.Password);
        }
        await db.SaveChangesAsync(cancellationToken);
        // Whatever changed, what this user (and their API keys) hold open is re-opened under the new terms.
        revocations.Revoke(CredentialRevocations.UserSubject(user.UserName));
        return TypedResults.Ok(ToResponse(user));
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(Guid id, FirmwareDbContext db, ClaimsPrincipal caller, CredentialRevocations revocations,
        CancellationToken cancellationToken)
    {
        var user = await db.Set<User>().SingleOrDefaultAsync(u => u.Id == id, cancellationToken);
        if (user is null)
        {
            return NotFound(id);
        }
        if (user is { Role: UserRole.Admin, Disabled: false } && await IsLastAdminAsync(db, user, cancellationToken))
        {
            return LastAdmin();
        }
        if (user.UserName == caller.Identity?.Name)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Cannot delete yourself",
                detail: "Ask another admin to delete this account, or disable it instead.");
        }
        db.Remove(user);
        await db.SaveChangesAsync(cancellationToken);
        revocations.Revoke(CredentialRevocations.UserSubject(user.UserName));
        return TypedResults.NoContent();
    }

    private static Task<bool> IsLastAdminAsync(FirmwareDbContext db, User user, CancellationToken cancellationToken) =>
        db.Set<User>().AllAsync(u => u.Id == user.Id || u.Role != UserRole.Admin || u.Disabled, cancellationToken);

    private static void CheckPassword(Dictionary<string, string[]> errors, string? password)
    {
        if (PasswordRule.Problem(password) is { } problem)
        {
            errors["password"] = [problem];
        }
    }

    internal static UserRole ParseRole(Dictionary<string, string[]> errors, string? value, bool required)
    {
        if (WireNames.TryParse<UserRole>(value, out var role))
        {
            return role;
        }
        if (required || !string.IsNullOrWhiteSpace(value))
        {
            errors["role"] = [$"{(string.IsNullOrWhiteSpace(value) ? "Required" : $"'{value}' is not a role")}; one of: {string.Join(", ", WireNames.Names<UserRole>())}."];
        }
        return UserRole.Viewer;
    }

    private static UserResponse ToResponse(User u) => new(u.Id, u.UserName, u.Role.ToWire(), u.Disabled, u.CreatedAt);

    private static ProblemHttpResult NotFound(Guid id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "User not found", detail: $"No user has id {id}.");

    private static ProblemHttpResult Duplicate(string userName) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Duplicate user name", detail: $"A user named '{userName}' already exists.");

    private static ProblemHttpResult LastAdmin() =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Last admin",
            detail: "This is the last enabled admin; create or enable another admin first.");
}
