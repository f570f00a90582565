using Microsoft.EntityFrameworkCore;
using Nova.Firmware.Domain.Devices;
using Nova.Firmware.Persistence;
using Nova.Firmware.Server.Auth;
using Nova.Firmware.Server.Ddi;

namespace Nova.Firmware.Server.Endpoints.Management;

/// <summary>A device's DDI target token: set or generated here, shown once, stored hashed.</summary>
public static class DeviceTokenEndpoints
{
    public static RouteGroupBuilder MapDeviceTokenEndpoints(this RouteGroupBuilder api)
    {
        api.MapPost("/devices/{deviceId:guid}/ddi-token", SetAsync).RequireAuthorization(Policies.Operator).WithTags("Devices");
        return api;
    }

    private static async Task<IResult> SetAsync(Guid deviceId, DeviceTokenRequest? request, FirmwareDbContext db, DdiCredentialCache cache, TimeProvider time, CancellationToken ct)
    {
        var device = await db.Set<Device>().AsNoTracking().SingleOrDefaultAsync(d => d.Id == deviceId, ct);
        if (device is null)
        {
            return TypedResults.Problem(title: "Device not found", detail: $"Device {deviceId} does not exist.", statusCode: StatusCodes.Status404NotFound);
        }
        var token = request?.Token;
        if (token is not null && !DdiTokenRule.IsValid(token))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["token"] = [DdiTokenRule.Rule] });
        }
        token ??= Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        var hash = ApiKeySecrets.Hash(token);
        var existing = await db.Set<DeviceToken>().SingleOrDefaultAsync(t => t.DeviceId == deviceId, ct);
        if (existing is null)
        {
            db.Add(new DeviceToken { DeviceId = deviceId, TokenHash = hash, CreatedAt = time.GetUtcNow() });
        }
        else
        {
            existing.TokenHash = hash;
            existing.CreatedAt = time.GetUtcNow();
        }
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            return TypedResults.Problem(title: "Token in use", detail: "Another device already has this token.", statusCode: StatusCodes.Status409Conflict);
        }
        cache.Forget(deviceId); // the replaced token stops working at once on this replica
        return TypedResults.Ok(new DeviceTokenResponse(deviceId, device.ControllerId, token, $"Authorization: TargetToken {token}"));
    }
}
