using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Nova.Firmware.Domain.Devices;
using Nova.Firmware.Persistence;
using Nova.Firmware.Server.Auth;

namespace Nova.Firmware.Server.Ddi;

/// <summary>The device a DDI request speaks for; only ever its own actions and artifacts.</summary>
public sealed record DdiDevice(Guid Id, string ControllerId);

/// <summary>
/// DDI credentials: <c>Authorization: TargetToken &lt;token&gt;</c> (one device) or
/// <c>GatewayToken &lt;token&gt;</c> (any device, optionally registering unknown ones). Look-ups are
/// cached because every poll needs one. A singleton: a poll whose credentials are cached touches no
/// database and builds no database context; one is made only for a look-up that misses.
/// </summary>
public sealed class DdiDeviceAuthenticator(IServiceScopeFactory scopes, DdiCredentialCache cache, IOptions<DdiOptions> options, TimeProvider time)
{
    public static object TokenCacheKey(string tokenHash) => ("ddi-token", tokenHash);

    private static object ControllerCacheKey(string controllerId) => ("ddi-controller", controllerId);

    public async Task<DdiDevice?> AuthenticateAsync(HttpRequest request, string controllerId, CancellationToken cancellationToken)
    {
        if (!DdiAuthorization.TryParse(request.Headers.Authorization, out var scheme, out var parameter))
        {
            return null;
        }
        if (scheme == DdiAuthorization.Scheme.TargetToken)
        {
            var device = await ByTokenAsync(parameter, cancellationToken);
            return device is not null && device.ControllerId == controllerId ? device : null;
        }
        if (scheme == DdiAuthorization.Scheme.GatewayToken && options.Value.GatewayToken is { Length: > 0 } gateway
            && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(parameter), Encoding.UTF8.GetBytes(gateway)))
        {
            return await ByControllerIdAsync(controllerId, cancellationToken)
                ?? (options.Value.AutoRegister ? await RegisterAsync(controllerId, cancellationToken) : null);
        }
        return null;
    }

    private async Task<DdiDevice?> ByTokenAsync(string token, CancellationToken ct)
    {
        var hash = ApiKeySecrets.Hash(token);
        if (cache.TryGet(TokenCacheKey(hash), out var cached))
        {
            return cached;
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FirmwareDbContext>();
        var device = await db.Set<DeviceToken>().AsNoTracking().Where(t => t.TokenHash == hash)
            .Join(db.Set<Device>(), t => t.DeviceId, d => d.Id, (t, d) => new DdiDevice(d.Id, d.ControllerId))
            .SingleOrDefaultAsync(ct);
        if (device is not null && options.Value.TokenCacheTime > TimeSpan.Zero)
        {
            cache.Set(TokenCacheKey(hash), device, options.Value.TokenCacheTime);
        }
        return device;
    }

    private async Task<DdiDevice?> ByControllerIdAsync(string controllerId, CancellationToken ct)
    {
        if (cache.TryGet(ControllerCacheKey(controllerId), out var cached))
        {
            return cached;
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FirmwareDbContext>();
        var device = await db.Set<Device>().AsNoTracking().Where(d => d.ControllerId == controllerId)
            .Select(d => new DdiDevice(d.Id, d.ControllerId)).SingleOrDefaultAsync(ct);
        if (device is not null && options.Value.TokenCacheTime > TimeSpan.Zero)
        {
            cache.Set(ControllerCacheKey(controllerId), device, options.Value.TokenCacheTime);
        }
        return device;
    }

    private async Task<DdiDevice?> RegisterAsync(string controllerId, CancellationToken ct)
    {
        if (!DdiControllerIds.IsPlainIdentifier(controllerId))
        {
            throw new DdiRequestRefusedException("controllerId", DdiControllerIds.PlainIdentifierRule);
        }
        var now = time.GetUtcNow();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FirmwareDbContext>();
        // Identity is unknown until the device sends configData; "unknown" never matches a package.
        // A time-ordered id like every other way a device is added: rows stay in id order, which
        // keeps the last-seen flush (done in id order) on neighbouring pages.
        db.Add(new Device
        {
            Id = Guid.CreateVersion7(now), ControllerId = controllerId, Vendor = "unknown", Model = "unknown", HardwareRevision = "unknown",
            Soc = "unknown", Serial = controllerId, Kind = DeviceKind.Gateway, Protocol = DeviceProtocol.Ddi, CreatedAt = now, UpdatedAt = now,
        });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Registered concurrently by another poll: the look-up below finds that one.
        }
        return await ByControllerIdAsync(controllerId, ct);
    }
}
