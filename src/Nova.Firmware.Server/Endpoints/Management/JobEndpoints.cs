using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Nova.Firmware.Domain.Common;
using Nova.Firmware.Domain.Jobs;
using Nova.Firmware.Domain.Timeline;
using Nova.Firmware.Engine.Jobs;
using Nova.Firmware.Persistence;
using Nova.Firmware.Server.Auth;

namespace Nova.Firmware.Server.Endpoints.Management;

/// <summary>Device jobs: start one, read one with its timeline, cancel one, follow all live.</summary>
public static class JobEndpoints
{
    public static RouteGroupBuilder MapJobEndpoints(this RouteGroupBuilder api)
    {
        api.MapPost("/devices/{deviceId:guid}/jobs", CreateAsync).RequireAuthorization(Policies.Operator).WithTags("Device jobs");
        api.MapGet("/jobs", ListAsync).WithTags("Device jobs");
        api.MapGet("/jobs/events", Events).WithTags("Device jobs");
        api.MapGet("/jobs/{id:long}", GetAsync).WithTags("Device jobs");
        api.MapPost("/jobs/{id:long}/cancel", CancelAsync).RequireAuthorization(Policies.Operator).WithTags("Device jobs");
        return api;
    }

    internal static async Task<IResult> CreateAsync(Guid deviceId, CreateJobRequest request, DeviceJobService jobs, ClaimsPrincipal user, CancellationToken ct)
    {
        if (request.PackageId == Guid.Empty)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["packageId"] = ["packageId is required."] });
        }
        var result = await jobs.CreateAsync(deviceId, request.PackageId, user.Identity?.Name ?? "unknown", ct);
        Telemetry.RequestTags.Tag(result.Job?.Id, deviceId);
        return result.Error switch
        {
            null => TypedResults.Created($"/api/v1/jobs/{result.Job!.Id}", JobResponse.From(result.Job)),
            CreateJobError.DeviceNotFound => TypedResults.Problem(title: "Device not found", detail: result.Message, statusCode: StatusCodes.Status404NotFound),
            CreateJobError.PackageNotFound => TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["packageId"] = [result.Message!] }),
            CreateJobError.DeviceBusy => TypedResults.Problem(title: "Device busy", detail: result.Message, statusCode: StatusCodes.Status409Conflict),
            CreateJobError.CannotRun => TypedResults.Problem(title: "This device job could never run", detail: result.Message, statusCode: StatusCodes.Status422UnprocessableEntity),
            _ => TypedResults.Problem(title: "Unexpected", detail: result.Message, statusCode: StatusCodes.Status500InternalServerError),
        };
    }

    internal static async Task<IResult> GetAsync(long id, FirmwareDbContext db, CancellationToken ct)
    {
        var job = await db.Set<DeviceJob>().AsNoTracking().SingleOrDefaultAsync(j => j.Id == id, ct);
        if (job is null)
        {
            return TypedResults.Problem(title: "Device job not found", detail: $"Device job {id} does not exist.", statusCode: StatusCodes.Status404NotFound);
        }
        var timeline = await db.Set<TimelineEntry>().AsNoTracking().Where(t => t.JobId == id).OrderBy(t => t.Id).ToListAsync(ct);
        return TypedResults.Ok(JobResponse.From(job, timeline));
    }

    internal static async Task<IResult> ListAsync(FirmwareDbContext db, Guid? deviceId, string? status, int? page, int? pageSize, CancellationToken ct)
    {
        var query = db.Set<DeviceJob>().AsNoTracking();
        if (deviceId is { } d)
        {
            query = query.Where(j => j.DeviceId == d);
        }
        if (status is not null)
        {
            if (!WireNames.TryParse<DeviceJobStatus>(status, out var s))
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["status"] = [$"Unknown status '{status}'; one of {string.Join(", ", WireNames.Names<DeviceJobStatus>())}."] });
            }
            query = query.Where(j => j.Status == s);
        }
        if (Paging.Check(page, pageSize, out var number, out var size) is { Count: > 0 } pagingErrors)
        {
            return TypedResults.ValidationProblem(pagingErrors);
        }
        var total = await query.CountAsync(ct);
        var items = await query.OrderByDescending(j => j.Id).Skip((number - 1) * size).Take(size).ToListAsync(ct);
        return TypedResults.Ok(new { items = items.Select(j => JobResponse.From(j)), page = number, pageSize = size, total });
    }

    internal static async Task<IResult> CancelAsync(long id, DeviceJobService jobs, ClaimsPrincipal user, CancellationToken ct)
    {
        Telemetry.RequestTags.Tag(id, null);
        return await jobs.CancelAsync(id, user.Identity?.Name ?? "unknown", ct) switch
        {
            CancelJobResult.Requested => TypedResults.Accepted($"/api/v1/jobs/{id}"),
            CancelJobResult.NotFound => TypedResults.Problem(title: "Device job not found", detail: $"Device job {id} does not exist.", statusCode: StatusCodes.Status404NotFound),
            CancelJobResult.AlreadyFinished => TypedResults.Problem(title: "Already finished", detail: $"Device job {id} has already ended.", statusCode: StatusCodes.Status409Conflict),
            CancelJobResult.TooLate => TypedResults.Problem(title: "Too late to cancel", detail: $"Device job {id} is already sending or writing the image; stopping now could brick the device. It will end on its own.", statusCode: StatusCodes.Status409Conflict),
            _ => TypedResults.Problem(statusCode: StatusCodes.Status500InternalServerError),
        };
    }

    /// <summary>Server-sent events of job changes; see <see cref="JobEventStream"/>.</summary>
    /// <summary>The stream lasts only as long as the caller's credential (see <see cref="CredentialBoundStream"/>).</summary>
    private static IResult Events(HttpContext context, IServiceScopeFactory scopes, TimeProvider time, CredentialBoundStream bound, CancellationToken ct)
    {
        var resumeFrom = JobEventStream.ParseEventId(context.Request.Headers["Last-Event-ID"]);
        return TypedResults.ServerSentEvents(bound.WhileValidAsync(context.User, stop => JobEventStream.FollowAsync(scopes, time, resumeFrom, stop), ct));
    }
}
