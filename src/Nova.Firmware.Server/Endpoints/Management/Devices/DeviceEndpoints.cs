using System.Data.Common;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Nova.Firmware.Domain.Common;
using Nova.Firmware.Domain.Devices;
using Nova.Firmware.Domain.Jobs;
using Nova.Firmware.Domain.Recovery;
using Nova.Firmware.Domain.Rollouts;
using Nova.Firmware.Domain.Timeline;
using Nova.Firmware.Persistence;
using Nova.Firmware.Server.Auth;
using Nova.Firmware.Server.Ddi;

namespace Nova.Firmware.Server.Endpoints.Management.Devices;

/// <summary>The device inventory: create, list with filters, read, replace, delete.</summary>
public static class DeviceEndpoints
{
    public static RouteGroupBuilder MapDeviceEndpoints(this RouteGroupBuilder api)
    {
        var devices = api.MapGroup("/devices").WithTags("Devices");
        devices.MapGet("/", ListAsync);
        devices.MapGet("/{id:guid}", GetAsync);
        devices.MapPost("/", CreateAsync).RequireAuthorization(Policies.Operator);
        devices.MapPut("/{id:guid}", ReplaceAsync).RequireAuthorization(Policies.Operator);
        devices.MapDelete("/{id:guid}", DeleteAsync).RequireAuthorization(Policies.Operator);
        devices.MapDeviceImportEndpoint();
        return api;
    }

    internal static async Task<Results<Ok<Paged<DeviceResponse>>, ValidationProblem>> ListAsync(
        [AsParameters] DeviceQuery query, FirmwareDbContext db, CancellationToken cancellationToken)
    {
        var errors = Paging.Check(query.Page, query.PageSize, out var page, out var pageSize);
        var devices = db.Set<Device>().AsNoTracking();
        if (!string.IsNullOrWhiteSpace(query.Model))
        {
            devices = devices.Where(d => d.Model == query.Model);
        }
        if (!string.IsNullOrWhiteSpace(query.Vendor))
        {
            devices = devices.Where(d => d.Vendor == query.Vendor);
        }
        if (!string.IsNullOrWhiteSpace(query.Site))
        {
            devices = devices.Where(d => d.Site == query.Site);
        }
        if (!string.IsNullOrWhiteSpace(query.Tag))
        {
            devices = devices.Where(d => d.Tags.Contains(query.Tag));
        }
        if (FilterEnum<DeviceKind>(errors, "kind", query.Kind) is { } kind)
        {
            devices = devices.Where(d => d.Kind == kind);
        }
        if (FilterEnum<DeviceProtocol>(errors, "protocol", query.Protocol) is { } protocol)
        {
            devices = devices.Where(d => d.Protocol == protocol);
        }
        if (FilterEnum<HealthStatus>(errors, "health", query.Health) is { } health)
        {
            devices = devices.Where(d => d.Health.Status == health);
        }
        if (!string.IsNullOrWhiteSpace(query.Q))
        {
            // Case-insensitive "contains" on the fields people search by; lower() works on both databases.
            var q = query.Q.Trim().ToLowerInvariant();
            devices = devices.Where(d =>
                d.ControllerId.ToLower().Contains(q) || d.Serial.ToLower().Contains(q) || d.Model.ToLower().Contains(q)
                || (d.Name != null && d.Name.ToLower().Contains(q)) || (d.Address != null && d.Address.ToLower().Contains(q)));
        }
        var ordered = DeviceSort.Apply(devices, query.Sort, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var total = await devices.CountAsync(cancellationToken);
        var items = await ordered!
            .Skip((page - 1) * pageSize).Take(pageSize)
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new Paged<DeviceResponse>(items.Select(d => d.ToResponse()).ToList(), page, pageSize, total));
    }

    internal static async Task<Results<Ok<DeviceResponse>, ProblemHttpResult>> GetAsync(Guid id, FirmwareDbContext db, CancellationToken cancellationToken)
    {
        var device = await db.Set<Device>().AsNoTracking().SingleOrDefaultAsync(d => d.Id == id, cancellationToken);
        return device is null ? NotFound(id) : TypedResults.Ok(device.ToResponse());
    }

    internal static async Task<Results<Created<DeviceResponse>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        DeviceRequest request, FirmwareDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var device = DeviceMapping.NewDevice();
        var errors = DeviceMapping.Apply(request, device);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }
        if (await db.Set<Device>().AnyAsync(d => d.ControllerId == device.ControllerId, cancellationToken))
        {
            return Duplicate(device.ControllerId);
        }
        device.Id = Guid.CreateVersion7(time.GetUtcNow());
        device.CreatedAt = device.UpdatedAt = time.GetUtcNow();
        db.Add(device);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Someone else stored the same controllerId between our check and our insert.
            if (await db.Set<Device>().AsNoTracking().AnyAsync(d => d.ControllerId == device.ControllerId, cancellationToken))
            {
                return Duplicate(device.ControllerId);
            }
            throw;
        }
        return TypedResults.Created($"/api/v1/devices/{device.Id}", device.ToResponse());
    }

    internal static async Task<Results<Ok<DeviceResponse>, ValidationProblem, ProblemHttpResult>> ReplaceAsync(
        Guid id, DeviceRequest request, FirmwareDbContext db, DdiCredentialCache ddiCredentials, TimeProvider time, CancellationToken cancellationToken)
    {
        var device = await db.Set<Device>().SingleOrDefaultAsync(d => d.Id == id, cancellationToken);
        if (device is null)
        {
            return NotFound(id);
        }
        var errors = DeviceMapping.Apply(request, device);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }
        if (await db.Set<Device>().AnyAsync(d => d.ControllerId == device.ControllerId && d.Id != id, cancellationToken))
        {
            return Duplicate(device.ControllerId);
        }
        device.UpdatedAt = time.GetUtcNow();
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            if (await db.Set<Device>().AsNoTracking().AnyAsync(d => d.ControllerId == device.ControllerId && d.Id != id, cancellationToken))
            {
                return Duplicate(device.ControllerId);
            }
            throw;
        }
        // A renamed device's old controllerId must stop working at once (its cached DDI look-ups named it).
        ddiCredentials.Forget(id);
        return TypedResults.Ok(device.ToResponse());
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(Guid id, FirmwareDbContext db, DdiCredentialCache ddiCredentials, CancellationToken cancellationToken)
    {
        // Only a job in progress holds a device: deleting under it would strand a flash half-way.
        // Finished jobs go with the device, with their commands and its timeline.
        if (await db.Set<DeviceJob>().AsNoTracking().Where(j => j.ActiveDeviceId == id).Select(j => (long?)j.Id).FirstOrDefaultAsync(cancellationToken) is { } active)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Device has an active device job",
                detail: $"Device {id} has device job {active} in progress; cancel it (POST /api/v1/jobs/{active}/cancel) or let it end, then delete the device.");
        }
        if (await db.Set<RecoveryRun>().AsNoTracking().Where(r => r.ActiveDeviceId == id).Select(r => (long?)r.Id).FirstOrDefaultAsync(cancellationToken) is { } run)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Device is being recovered",
                detail: $"Device {id} is in recovery run {run}; close it (POST /api/v1/recoveries/{run}/close) or let it end, then delete the device.");
        }
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Set<TimelineEntry>().Where(t => t.DeviceId == id).ExecuteDeleteAsync(cancellationToken);
        // Ended recovery runs go with the device (their tasks and photos by cascade).
        await db.Set<RecoveryRun>().Where(r => r.DeviceId == id && r.ActiveDeviceId == null).ExecuteDeleteAsync(cancellationToken);
        // Its place in rollouts goes with it (a rollout counts only devices that exist).
        await db.Set<RolloutDevice>().Where(r => r.DeviceId == id && r.State != RolloutDeviceState.Active).ExecuteDeleteAsync(cancellationToken);
        // Commands go with their jobs (cascade). A job that became active meanwhile keeps the device: the delete below then fails the foreign key.
        await db.Set<DeviceJob>().Where(j => j.DeviceId == id && j.ActiveDeviceId == null).ExecuteDeleteAsync(cancellationToken);
        int deleted;
        try
        {
            deleted = await db.Set<Device>().Where(d => d.Id == id).ExecuteDeleteAsync(cancellationToken);
        }
        catch (Exception e) when (e is DbException or DbUpdateException)
        {
            await tx.RollbackAsync(cancellationToken);
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Device has an active device job",
                detail: $"A device job for device {id} started while it was being deleted; nothing was deleted.");
        }
        await tx.CommitAsync(cancellationToken);
        // Its DDI token stops working now, not when the cached look-up expires.
        ddiCredentials.Forget(id);
        return deleted == 0 ? NotFound(id) : TypedResults.NoContent();
    }

    private static T? FilterEnum<T>(Dictionary<string, string[]> errors, string field, string? value) where T : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        if (WireNames.TryParse<T>(value, out var parsed))
        {
            return parsed;
        }
        errors[field] = [$"'{value}' is not one of: {string.Join(", ", WireNames.Names<T>())}."];
        return null;
    }

    private static ProblemHttpResult NotFound(Guid id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Device not found", detail: $"No device has id {id}.");

    internal static ProblemHttpResult Duplicate(string controllerId) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Duplicate controllerId",
            detail: $"A device with controllerId '{controllerId}' already exists.");
}
