using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Nova.Firmware.Domain.Devices;
using Nova.Firmware.Persistence;

namespace Nova.Firmware.Server.Endpoints.Management.Discovery;

/// <summary>
/// Adds discovered cameras to the inventory, all or nothing: cameras the inventory already holds
/// (same address or controllerId) are reported and left alone; every other camera is identified
/// with its site's credentials and checked; one that cannot be identified, breaks a rule or
/// duplicates another means nothing is stored.
/// </summary>
public sealed class CameraImporter(SiteCredentials credentials, CameraIdentifier identifier, TimeProvider time, ILogger<CameraImporter> log)
{
    public async Task<Results<Ok<OnvifImportResponse>, ValidationProblem, ProblemHttpResult>> ImportAsync(
        OnvifImportRequest? request, FirmwareDbContext db, CancellationToken cancellationToken)
    {
        if (ImportPlan.From(request, out var fieldErrors) is not { } cameras)
        {
            return TypedResults.ValidationProblem(fieldErrors.ToDictionary());
        }
        var sameAddress = cameras.GroupBy(c => c.XAddr.AbsoluteUri, StringComparer.Ordinal).Where(g => g.Count() > 1)
            .Select(g => Error(g.Last(), "xAddr", $"Camera {g.Key} is listed more than once (devices[{g.First().Index}])."))
            .ToList();
        if (sameAddress.Count > 0)
        {
            return Duplicates(sameAddress);
        }

        var existing = new List<ExistingCamera>();
        var byAddress = await InventoryLookup.FindAsync(db, cameras.Select(c => c.XAddr.AbsoluteUri), [], cancellationToken);
        var fresh = new List<ImportCandidate>();
        foreach (var camera in cameras)
        {
            if (InventoryLookup.AtAddress(byAddress, [camera.XAddr.AbsoluteUri]) is { } known)
            {
                existing.Add(new ExistingCamera(known.Id, known.ControllerId, camera.XAddr.AbsoluteUri, "address"));
            }
            else
            {
                fresh.Add(camera);
            }
        }

        var (devices, rejected) = await IdentifyAsync(fresh, cancellationToken);
        if (rejected.Count > 0)
        {
            return Rejected(rejected);
        }
        var sameId = devices.GroupBy(d => d.Device.ControllerId, StringComparer.Ordinal).Where(g => g.Count() > 1)
            .Select(g => Error(g.Last().Camera, "controllerId", $"controllerId '{g.Key}' is also the one of devices[{g.First().Camera.Index}] ({g.First().Camera.XAddr.AbsoluteUri})."))
            .ToList();
        if (sameId.Count > 0)
        {
            return Duplicates(sameId);
        }

        var byId = await InventoryLookup.FindAsync(db, [], devices.Select(d => d.Device.ControllerId), cancellationToken);
        var toStore = new List<(ImportCandidate Camera, Device Device)>();
        foreach (var (camera, device) in devices)
        {
            if (InventoryLookup.WithControllerId(byId, [device.ControllerId]) is { } known)
            {
                existing.Add(new ExistingCamera(known.Id, known.ControllerId, camera.XAddr.AbsoluteUri, "controllerId"));
            }
            else
            {
                toStore.Add((camera, device));
            }
        }

        var now = time.GetUtcNow();
        foreach (var (_, device) in toStore)
        {
            device.Id = Guid.CreateVersion7(now);
            device.CreatedAt = device.UpdatedAt = now;
        }
        db.AddRange(toStore.Select(d => d.Device));
        try
        {
            // One SaveChanges is one transaction: every new camera is stored, or none is.
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            var raced = await InventoryLookup.FindAsync(db, [], toStore.Select(d => d.Device.ControllerId), cancellationToken);
            if (raced.Count == 0)
            {
                throw;
            }
            return Duplicates([.. toStore.Where(d => InventoryLookup.WithControllerId(raced, [d.Device.ControllerId]) is not null)
                .Select(d => Error(d.Camera, "controllerId", $"A device with controllerId '{d.Device.ControllerId}' was added while this import ran."))]);
        }

        DiscoveryLog.Imported(log, toStore.Count, existing.Count);
        return TypedResults.Ok(new OnvifImportResponse(
            [.. toStore.Select(d => new ImportedCamera(d.Device.Id, d.Device.ControllerId, d.Camera.XAddr.AbsoluteUri))],
            [.. existing.OrderBy(e => e.XAddr, StringComparer.Ordinal)]));
    }

    /// <summary>Asks each camera who it is, with its site's credentials, and turns the answers into devices.</summary>
    private async Task<(List<(ImportCandidate Camera, Device Device)> Devices, List<DiscoveryImportError> Errors)> IdentifyAsync(
        List<ImportCandidate> cameras, CancellationToken cancellationToken)
    {
        var bySite = new Dictionary<string, SiteCredentialLookup>(StringComparer.Ordinal);
        var requests = new List<IdentifyRequest>();
        foreach (var camera in cameras)
        {
            var key = camera.Site ?? "";
            if (!bySite.TryGetValue(key, out var lookup))
            {
                bySite[key] = lookup = await credentials.FindAsync(camera.Site, cancellationToken);
            }
            requests.Add(new IdentifyRequest([camera.XAddr], lookup));
        }
        var identities = await identifier.IdentifyAsync(requests, cancellationToken);

        var devices = new List<(ImportCandidate, Device)>();
        var errors = new List<DiscoveryImportError>();
        var now = time.GetUtcNow();
        for (var i = 0; i < cameras.Count; i++)
        {
            if (identities[i].Information is not { } info)
            {
                errors.Add(Error(cameras[i], "xAddr", $"Could not identify the camera: {identities[i].Error}"));
                continue;
            }
            var (device, broken) = DiscoveredDeviceMapping.ToDevice(cameras[i], info, now);
            errors.AddRange(broken.Select(e => Error(cameras[i], e.Field, e.Message)));
            if (broken.Count == 0)
            {
                devices.Add((cameras[i], device));
            }
        }
        return (devices, errors);
    }

    private static DiscoveryImportError Error(ImportCandidate camera, string field, string message) =>
        new(camera.Index, camera.XAddr.AbsoluteUri, field, message);

    private static ProblemHttpResult Rejected(List<DiscoveryImportError> errors) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status422UnprocessableEntity,
            title: "Import rejected",
            detail: $"{errors.Select(e => e.Index).Distinct().Count()} camera(s) cannot be imported; no camera was imported.",
            extensions: new Dictionary<string, object?> { ["errors"] = errors.OrderBy(e => e.Index).ToList() });

    private static ProblemHttpResult Duplicates(List<DiscoveryImportError> errors) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status409Conflict,
            title: "Duplicate camera",
            detail: string.Join(" ", errors.Select(e => $"devices[{e.Index}]: {e.Message}")) + " No camera was imported.",
            extensions: new Dictionary<string, object?> { ["errors"] = errors.OrderBy(e => e.Index).ToList() });
}
