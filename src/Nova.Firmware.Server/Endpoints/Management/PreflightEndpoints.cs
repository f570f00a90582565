using Microsoft.EntityFrameworkCore;
using Nova.Firmware.Domain.Common;
using Nova.Firmware.Domain.Devices;
using Nova.Firmware.Domain.Packages;
using Nova.Firmware.Engine.Jobs;
using Nova.Firmware.Persistence;

namespace Nova.Firmware.Server.Endpoints.Management;

/// <summary>Dry run of the pre-flight gate for a selection of devices: nothing is created or sent.</summary>
public static class PreflightEndpoints
{
    private const int MaxDevices = 5000;

    public static RouteGroupBuilder MapPreflightEndpoints(this RouteGroupBuilder api)
    {
        api.MapPost("/preflight", DryRunAsync).WithTags("Pre-flight");
        return api;
    }

    private static async Task<IResult> DryRunAsync(PreflightRequest request, FirmwareDbContext db, DeviceJobStepper gate, CancellationToken ct)
    {
        var package = await db.Set<FirmwarePackage>().AsNoTracking().SingleOrDefaultAsync(p => p.Id == request.PackageId, ct);
        if (package is null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["packageId"] = [$"Package {request.PackageId} does not exist."] });
        }
        var query = db.Set<Device>().AsNoTracking();
        if (request.DeviceIds is { Count: > 0 } ids)
        {
            query = query.Where(d => ids.Contains(d.Id));
        }
        else if (request.Site is null && request.Model is null && request.Tag is null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["deviceIds"] = ["Select devices by deviceIds, site, model or tag."] });
        }
        if (request.Site is { } site)
        {
            query = query.Where(d => d.Site == site);
        }
        if (request.Model is { } model)
        {
            query = query.Where(d => d.Model == model);
        }
        if (request.Tag is { } tag)
        {
            query = query.Where(d => d.Tags.Contains(tag));
        }
        var devices = await query.OrderBy(d => d.ControllerId).Take(MaxDevices + 1).ToListAsync(ct);
        if (devices.Count > MaxDevices)
        {
            return TypedResults.Problem(title: "Selection too large", detail: $"At most {MaxDevices} devices per dry run; narrow the selection.", statusCode: StatusCodes.Status422UnprocessableEntity);
        }
        var results = new List<PreflightDeviceResponse>(devices.Count);
        foreach (var device in devices)
        {
            var verdict = await gate.DryRunAsync(device, package, ct);
            results.Add(new PreflightDeviceResponse(device.Id, device.ControllerId, verdict.Decision.ToWire(), verdict.FirstBlock?.Check.ToWire(),
                verdict.Results.Select(PreflightCheckResponse.From).ToList()));
        }
        return TypedResults.Ok(new { packageId = package.Id, devices = results });
    }
}
