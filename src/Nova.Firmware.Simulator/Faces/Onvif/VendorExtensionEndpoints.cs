using Microsoft.AspNetCore.Http.HttpResults;
using Nova.Firmware.Simulator.Devices;

namespace Nova.Firmware.Simulator.Faces.Onvif;

/// <summary>
/// The device's own small JSON API, a vendor extension for what ONVIF lacks: storage and its
/// clean-up, slots, power feed and reset reason, logs, and a recovery trigger. Gateways expose the
/// same API (their web UI). Same Digest credentials as ONVIF. Under <c>/devices/{id}/api/v1</c>.
/// </summary>
public static class VendorExtensionEndpoints
{
    public static IEndpointRouteBuilder MapVendorExtensionEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/devices/{id}/api/v1").WithTags("Vendor extension").AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var sim = http.RequestServices.GetRequiredService<Simulation>();
            var digest = http.RequestServices.GetRequiredService<DigestAuthenticator>();
            if (sim.Find((string)http.GetRouteValue("id")!) is not { } device)
            {
                return TypedResults.Problem("No such device.", statusCode: StatusCodes.Status404NotFound);
            }
            if (device.Mode is not (DeviceMode.Normal or DeviceMode.Recovery) || device.Faults.Unreachable)
            {
                http.Abort();
                return Results.Empty;
            }
            if (!digest.Verify(http.Request.Headers.Authorization, http.Request.Method, device.Spec.OnvifUsername, device.Spec.OnvifPassword))
            {
                http.Response.Headers.WWWAuthenticate = digest.Challenge();
                return TypedResults.Problem("Digest authentication required.", statusCode: StatusCodes.Status401Unauthorized);
            }
            return await next(context);
        });
        api.MapGet("/status", (Simulation sim, string id) => TypedResults.Ok(Status(sim[id])));
        api.MapGet("/storage", (Simulation sim, string id) => TypedResults.Ok(Status(sim[id]).Storage));
        api.MapDelete("/storage", Results<Ok<CleanupResult>, ValidationProblem> (Simulation sim, string id, string? kind) =>
        {
            StorageItemKind? which = null;
            if (kind is not null)
            {
                var match = Enum.GetValues<StorageItemKind>().Where(k => Wire.Name(k) == kind).ToList();
                if (match.Count == 0)
                {
                    return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["kind"] = ["kind must be log, firmware-backup or snapshot."] });
                }
                which = match[0];
            }
            var device = sim[id];
            device.ClearStorage(which, out var freed);
            return TypedResults.Ok(new CleanupResult(freed, device.Storage.FreeBytes));
        });
        api.MapDelete("/storage/items/{name}", Results<Ok<CleanupResult>, ProblemHttpResult> (Simulation sim, string id, string name) =>
        {
            var device = sim[id];
            var freed = device.RemoveStorageItem(name);
            return freed == 0
                ? TypedResults.Problem($"No storage item '{name}'.", statusCode: StatusCodes.Status404NotFound)
                : TypedResults.Ok(new CleanupResult(freed, device.Storage.FreeBytes));
        });
        api.MapGet("/logs/system", (Simulation sim, string id) => TypedResults.Text(string.Join('\n', sim[id].SystemLog.Lines)));
        api.MapGet("/logs/pre-flash", (Simulation sim, string id) => TypedResults.Text(string.Join('\n', sim[id].PreFlashLog.Lines)));
        api.MapPost("/recovery", Results<Accepted, ProblemHttpResult> (Simulation sim, string id) =>
        {
            var device = sim[id];
            if (device.RecoveryPartition is not { Valid: true })
            {
                return TypedResults.Problem("This device has no usable recovery partition.", statusCode: StatusCodes.Status409Conflict);
            }
            device.RebootIntoRecovery();
            return TypedResults.Accepted((string?)null);
        });
        return app;
    }

    private static VendorStatus Status(SimulatedDevice device)
    {
        var truth = device.Truth();
        return new VendorStatus(
            truth.Vendor, truth.Model, truth.HwRevision, truth.Soc, truth.Serial, truth.RunningVersion,
            [.. truth.Slots.Select(s => new VendorSlot(s.Name, s.Version, s.Valid, s.Active))],
            new VendorStorage(truth.Storage.CapacityBytes, truth.Storage.FreeBytes, [.. truth.Storage.Items.Select(i => new VendorStorageItem(i.Name, Wire.Name(i.Kind), i.SizeBytes))]),
            truth.PowerFeed, Wire.Name(truth.ResetReason), Wire.Name(truth.Mode), Wire.Name(truth.Led));
    }
}

public sealed record VendorStatus(string Vendor, string Model, string HwRevision, string Soc, string Serial, string? FirmwareVersion,
    IReadOnlyList<VendorSlot> Slots, VendorStorage Storage, string PowerFeed, string ResetReason, string Mode, string Led);

public sealed record VendorSlot(string Name, string? Version, bool Valid, bool Active);

public sealed record VendorStorage(long TotalBytes, long FreeBytes, IReadOnlyList<VendorStorageItem> Items);

public sealed record VendorStorageItem(string Name, string Kind, long SizeBytes);

public sealed record CleanupResult(long FreedBytes, long FreeBytes);
