using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Nova.Firmware.Domain.Common;
using Nova.Firmware.Domain.Devices;
using Nova.Firmware.Domain.Recovery;
using Nova.Firmware.Engine.Recovery;
using Nova.Firmware.Persistence;
using Nova.Firmware.Server.Auth;

namespace Nova.Firmware.Server.Endpoints.Management.Recovery;

/// <summary>Recovery runs: list and read them, approve or reject a proposal, choose re-attempt, close.</summary>
public static class RecoveryEndpoints
{
    public static RouteGroupBuilder MapRecoveryEndpoints(this RouteGroupBuilder api)
    {
        var runs = api.MapGroup("/recoveries").WithTags("Recovery");
        runs.MapGet("/", ListAsync).WithSummary("Recovery runs, newest first; filter by device, rung, or active only.");
        runs.MapGet("/{id:long}", GetAsync).WithSummary("One recovery run: diagnosis, rung, deadline, and what it waits for.");
        runs.MapPost("/{id:long}/approve", ApproveAsync).RequireAuthorization(Policies.Operator).WithSummary("Flash the proposed package (wrong-hardware runs).");
        runs.MapPost("/{id:long}/reject", RejectAsync).RequireAuthorization(Policies.Operator).WithSummary("Refuse the proposed package; the run ends blocked.");
        runs.MapPut("/{id:long}/reattempt", ReattemptAsync).RequireAuthorization(Policies.Operator).WithSummary("Whether the intended version is flashed again once the device is back on another one.");
        runs.MapPost("/{id:long}/close", CloseAsync).RequireAuthorization(Policies.Operator).WithSummary("End the run where it is (open technician tasks are cancelled).");
        api.MapGet("/jobs/{id:long}/diagnosis", JobDiagnosisAsync).WithTags("Recovery").WithSummary("The diagnosis of a failed device job and the recovery run it started.");
        return api;
    }

    internal static async Task<IResult> ListAsync(FirmwareDbContext db, Guid? deviceId, string? rung, bool? active, int? page, int? pageSize, CancellationToken ct)
    {
        var query = db.Set<RecoveryRun>().AsNoTracking();
        if (deviceId is { } d)
        {
            query = query.Where(r => r.DeviceId == d);
        }
        if (rung is not null)
        {
            if (!WireNames.TryParse<RecoveryRung>(rung, out var parsed))
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["rung"] = [$"Unknown rung '{rung}'; one of {string.Join(", ", WireNames.Names<RecoveryRung>())}."] });
            }
            query = query.Where(r => r.Rung == parsed);
        }
        if (active is { } a)
        {
            query = a ? query.Where(r => r.ActiveDeviceId != null) : query.Where(r => r.ActiveDeviceId == null);
        }
        if (Paging.Check(page, pageSize, out var number, out var size) is { Count: > 0 } pagingErrors)
        {
            return TypedResults.ValidationProblem(pagingErrors);
        }
        var total = await query.CountAsync(ct);
        var items = await query.OrderByDescending(r => r.Id).Skip((number - 1) * size).Take(size).ToListAsync(ct);
        var ids = items.Select(r => r.Id).ToList();
        var tasks = await db.Set<TechnicianTask>().AsNoTracking().Where(t => ids.Contains(t.RunId)).ToDictionaryAsync(t => t.RunId, t => t.Id, ct);
        var deviceIds = items.Select(r => r.DeviceId).Distinct().ToList();
        var names = await db.Set<Device>().AsNoTracking().Where(d => deviceIds.Contains(d.Id)).ToDictionaryAsync(d => d.Id, d => d.ControllerId, ct);
        return TypedResults.Ok(new
        {
            items = items.Select(r => RecoveryRunResponse.From(r, tasks.TryGetValue(r.Id, out var t) ? t : null, names.GetValueOrDefault(r.DeviceId))),
            page = number, pageSize = size, total,
        });
    }

    internal static async Task<IResult> GetAsync(long id, FirmwareDbContext db, CancellationToken ct)
    {
        var run = await db.Set<RecoveryRun>().AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, ct);
        if (run is null)
        {
            return NotFound($"Recovery run {id} does not exist.");
        }
        var task = await db.Set<TechnicianTask>().AsNoTracking().Where(t => t.RunId == id).Select(t => (long?)t.Id).SingleOrDefaultAsync(ct);
        var name = await db.Set<Device>().AsNoTracking().Where(d => d.Id == run.DeviceId).Select(d => d.ControllerId).SingleOrDefaultAsync(ct);
        return TypedResults.Ok(RecoveryRunResponse.From(run, task, name));
    }

    internal static async Task<IResult> JobDiagnosisAsync(long id, FirmwareDbContext db, CancellationToken ct)
    {
        var job = await db.Set<Domain.Jobs.DeviceJob>().AsNoTracking().SingleOrDefaultAsync(j => j.Id == id, ct);
        if (job is null)
        {
            return TypedResults.Problem(title: "Device job not found", detail: $"Device job {id} does not exist.", statusCode: StatusCodes.Status404NotFound);
        }
        var run = await db.Set<RecoveryRun>().AsNoTracking().SingleOrDefaultAsync(r => r.FailedJobId == id, ct);
        if (job.Cause is null && run is null)
        {
            return TypedResults.Problem(title: "No diagnosis", detail: $"Device job {id} is {job.Status.ToWire()}; only a failed job has a diagnosis.", statusCode: StatusCodes.Status404NotFound);
        }
        // The run's diagnosis is the later one: it also saw what the device did after the failure.
        return TypedResults.Ok(new
        {
            jobId = id,
            cause = (run?.Cause ?? job.Cause)!.Value.ToWire(),
            confidence = run?.Confidence ?? job.CauseConfidence,
            evidence = run?.Evidence ?? job.CauseEvidence ?? [],
            statusReason = job.StatusReason,
            recovery = run is null ? null : RecoveryRunResponse.From(run, null),
        });
    }

    internal static async Task<IResult> ApproveAsync(long id, RecoveryService recovery, ClaimsPrincipal user, CancellationToken ct) =>
        ToResult(await recovery.ApproveAsync(id, Who(user), ct), id);

    internal static async Task<IResult> RejectAsync(long id, RecoveryService recovery, ClaimsPrincipal user, CancellationToken ct) =>
        ToResult(await recovery.RejectAsync(id, Who(user), ct), id);

    internal static async Task<IResult> CloseAsync(long id, RecoveryNoteRequest? request, RecoveryService recovery, ClaimsPrincipal user, CancellationToken ct) =>
        ToResult(await recovery.CloseAsync(id, Who(user), request?.Note, ct), id);

    internal static async Task<IResult> ReattemptAsync(long id, ReattemptRequest? request, RecoveryService recovery, ClaimsPrincipal user, CancellationToken ct)
    {
        if (request?.Reattempt is not { } reattempt)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["reattempt"] = ["reattempt (true or false) is required."] });
        }
        return ToResult(await recovery.SetReattemptAsync(id, reattempt, Who(user), ct), id);
    }

    internal static string Who(ClaimsPrincipal user) => user.Identity?.Name ?? "unknown";

    internal static IResult NotFound(string detail) => TypedResults.Problem(title: "Not found", detail: detail, statusCode: StatusCodes.Status404NotFound);

    private static IResult ToResult(RecoveryActionResult result, long id) => result.Error switch
    {
        null => TypedResults.Ok(new { id, message = result.Message }),
        RecoveryActionError.NotFound => NotFound(result.Message),
        RecoveryActionError.Conflict => TypedResults.Problem(title: "Conflict", detail: result.Message, statusCode: StatusCodes.Status409Conflict),
        RecoveryActionError.Invalid => TypedResults.Problem(title: "Invalid", detail: result.Message, statusCode: StatusCodes.Status400BadRequest),
        _ => TypedResults.Problem(title: "Unexpected", detail: result.Message, statusCode: StatusCodes.Status500InternalServerError),
    };

    internal static IResult ToTaskResult(RecoveryActionResult result, long id) => ToResult(result, id);
}
