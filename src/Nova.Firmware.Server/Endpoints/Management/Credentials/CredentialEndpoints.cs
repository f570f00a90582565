using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Nova.Firmware.Domain.Common;
using Nova.Firmware.Domain.Devices;
using Nova.Firmware.Persistence;
using Nova.Firmware.Server.Auth;
using Nova.Firmware.Server.Credentials;

namespace Nova.Firmware.Server.Endpoints.Management.Credentials;

/// <summary>
/// Credentials push drivers sign in to devices with, per device or per site. Operators set and
/// remove them; nobody reads the password back. Problems name the field, never quote the value.
/// </summary>
public static class CredentialEndpoints
{
    public static RouteGroupBuilder MapCredentialEndpoints(this RouteGroupBuilder api)
    {
        var device = api.MapGroup("/devices/{id:guid}/credentials").WithTags("Credentials").RequireAuthorization(Policies.Operator);
        device.MapGet("/", GetDeviceAsync);
        device.MapPut("/", PutDeviceAsync);
        device.MapDelete("/", DeleteDeviceAsync);
        var site = api.MapGroup("/sites/{site}/credentials").WithTags("Credentials").RequireAuthorization(Policies.Operator);
        site.MapGet("/", GetSiteAsync);
        site.MapPut("/", PutSiteAsync);
        site.MapDelete("/", DeleteSiteAsync);
        return api;
    }

    /// <summary>The credentials that apply to the device: its own, else its site's.</summary>
    internal static async Task<Results<Ok<CredentialsResponse>, ProblemHttpResult>> GetDeviceAsync(Guid id, FirmwareDbContext db, CancellationToken ct)
    {
        if (await FindDeviceAsync(db, id, ct) is not { } device)
        {
            return DeviceNotFound(id);
        }
        var stored = await CameraCredentialStore.Effective(db.Set<StoredCredentials>().AsNoTracking(), device.Id, device.Site).FirstOrDefaultAsync(ct);
        return stored is null ? NoCredentials($"Neither device {id} nor its site has credentials.") : TypedResults.Ok(ToResponse(stored));
    }

    internal static async Task<Results<Ok<CredentialsResponse>, ValidationProblem, ProblemHttpResult>> PutDeviceAsync(
        Guid id, CredentialsRequest? request, FirmwareDbContext db, CredentialProtector protector, ClaimsPrincipal caller, TimeProvider time, CancellationToken ct)
    {
        if (await FindDeviceAsync(db, id, ct) is null)
        {
            return DeviceNotFound(id);
        }
        if (CredentialRules.Check(request?.Username, request?.Password) is { Count: > 0 } errors)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }
        var saved = await CredentialWriter.SaveAsync(db, protector, id, null, request!.Username!, request.Password!, Actor(caller), time.GetUtcNow(), ct);
        return TypedResults.Ok(ToResponse(saved));
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> DeleteDeviceAsync(Guid id, FirmwareDbContext db, CancellationToken ct)
    {
        if (await FindDeviceAsync(db, id, ct) is null)
        {
            return DeviceNotFound(id);
        }
        return await CredentialWriter.DeleteAsync(db, id, null, ct) ? TypedResults.NoContent() : NoCredentials($"Device {id} has no credentials of its own.");
    }

    internal static async Task<Results<Ok<CredentialsResponse>, ValidationProblem, ProblemHttpResult>> GetSiteAsync(string site, FirmwareDbContext db, CancellationToken ct)
    {
        if (CredentialRules.CheckSite(site) is { Count: > 0 } errors)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }
        var stored = await db.Set<StoredCredentials>().AsNoTracking().OfScope(null, site).SingleOrDefaultAsync(ct);
        return stored is null ? NoCredentials("The site has no credentials.") : TypedResults.Ok(ToResponse(stored));
    }

    internal static async Task<Results<Ok<CredentialsResponse>, ValidationProblem>> PutSiteAsync(
        string site, CredentialsRequest? request, FirmwareDbContext db, CredentialProtector protector, ClaimsPrincipal caller, TimeProvider time, CancellationToken ct)
    {
        var errors = CredentialRules.CheckSite(site).Concat(CredentialRules.Check(request?.Username, request?.Password)).ToList();
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }
        var saved = await CredentialWriter.SaveAsync(db, protector, null, site, request!.Username!, request.Password!, Actor(caller), time.GetUtcNow(), ct);
        return TypedResults.Ok(ToResponse(saved));
    }

    internal static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> DeleteSiteAsync(string site, FirmwareDbContext db, CancellationToken ct)
    {
        if (CredentialRules.CheckSite(site) is { Count: > 0 } errors)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }
        return await CredentialWriter.DeleteAsync(db, null, site, ct) ? TypedResults.NoContent() : NoCredentials("The site has no credentials.");
    }

    private static CredentialsResponse ToResponse(StoredCredentials stored) =>
        new(stored.Username, PasswordSet: true, stored.Scope.ToWire(), stored.UpdatedAt);

    private static Task<Device?> FindDeviceAsync(FirmwareDbContext db, Guid id, CancellationToken ct) =>
        db.Set<Device>().AsNoTracking().SingleOrDefaultAsync(d => d.Id == id, ct);

    private static string Actor(ClaimsPrincipal caller) => caller.Identity?.Name ?? "unknown";

    private static ProblemHttpResult DeviceNotFound(Guid id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Device not found", detail: $"No device has id {id}.");

    private static ProblemHttpResult NoCredentials(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No credentials", detail: detail);
}
