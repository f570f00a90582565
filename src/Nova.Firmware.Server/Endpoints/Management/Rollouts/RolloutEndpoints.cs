using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Nova.Firmware.Domain.Common;
using Nova.Firmware.Domain.Devices;
using Nova.Firmware.Domain.Rollouts;
using Nova.Firmware.Engine.Rollouts;
using Nova.Firmware.Persistence;
using Nova.Firmware.Server.Auth;

namespace Nova.Firmware.Server.Endpoints.Management.Rollouts;

/// <summary>Rollouts: preview, create, list, read with progress, their devices, and the actions that steer them.</summary>
public static class RolloutEndpoints
{
    public static RouteGroupBuilder MapRolloutEndpoints(this RouteGroupBuilder api)
    {
        var rollouts = api.MapGroup("/rollouts").WithTags("Rollouts");
        rollouts.MapPost("/", CreateAsync).RequireAuthorization(Policies.Operator).WithSummary("Create a rollout: devices matched and planned into waves now; start it at once with start: true.");
        rollouts.MapPost("/preview", RolloutPreview.RunAsync).WithSummary("What a rollout would do: matching devices, the package for each, and today's pre-flight verdicts (pass, wait, block, unknown) with reasons.");
        rollouts.MapGet("/", ListAsync).WithSummary("Rollouts, newest first; filter by status.");
        rollouts.MapGet("/{id:long}", GetAsync).WithSummary("One rollout with its progress per status and per wave, failures by cause and an estimated end.");
        rollouts.MapGet("/{id:long}/devices", DevicesAsync).WithSummary("The rollout's devices with their wave, state, job and last outcome; filter by state or wave.");
        rollouts.MapPost("/{id:long}/start", (long id, RolloutService s, ClaimsPrincipal u, CancellationToken ct) => ActAsync(s.StartAsync(id, Who(u), ct)))
            .RequireAuthorization(Policies.Operator).WithSummary("Start a ready rollout.");
        rollouts.MapPost("/{id:long}/pause", (long id, RolloutService s, ClaimsPrincipal u, CancellationToken ct) => ActAsync(s.PauseAsync(id, Who(u), ct)))
            .RequireAuthorization(Policies.Operator).WithSummary("No new device jobs start; started ones run to their end.");
        rollouts.MapPost("/{id:long}/resume", (long id, RolloutService s, ClaimsPrincipal u, CancellationToken ct) => ActAsync(s.ResumeAsync(id, Who(u), ct)))
            .RequireAuthorization(Policies.Operator).WithSummary("Resume a paused rollout (failures so far are acknowledged; after a success-gate pause the next wave opens).");
        rollouts.MapPost("/{id:long}/approve", (long id, RolloutService s, ClaimsPrincipal u, CancellationToken ct) => ActAsync(s.ApproveAsync(id, Who(u), ct)))
            .RequireAuthorization(Policies.Operator).WithSummary("Open the next wave of a rollout waiting for approval.");
        rollouts.MapPost("/{id:long}/cancel", (long id, RolloutService s, ClaimsPrincipal u, CancellationToken ct) => ActAsync(s.CancelAsync(id, Who(u), ct)))
            .RequireAuthorization(Policies.Operator).WithSummary("Cancel: queued jobs are cancelled, running ones reach a safe point.");
        rollouts.MapPost("/{id:long}/retry", (long id, RolloutService s, ClaimsPrincipal u, CancellationToken ct) => ActAsync(s.RetryFailedAsync(id, Who(u), ct)))
            .RequireAuthorization(Policies.Operator).WithSummary("Queue the failed and blocked devices again (never those no package fits).");
        return api;
    }

    internal static async Task<IResult> CreateAsync(CreateRolloutRequest request, RolloutService rollouts, RolloutProgressReader progress, ClaimsPrincipal user, CancellationToken ct)
    {
        var packageIds = request.PackageIds ?? (request.PackageId is { } one ? [one] : []);
        if (request.PackageIds is not null && request.PackageId is not null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["packageId"] = ["Give packageId or packageIds, not both."] });
        }
        var draft = new Rollout
        {
            Name = request.Name ?? "",
            PackageIds = packageIds,
            Target = request.Target ?? new RolloutTarget(),
            Strategy = request.Strategy ?? new RolloutStrategy(),
            CreatedBy = Who(user),
        };
        var result = await rollouts.CreateAsync(draft, request.Start, ct);
        if (result.Errors.Count > 0)
        {
            return TypedResults.ValidationProblem(result.Errors.ToDictionary());
        }
        var rollout = result.Rollout!;
        return TypedResults.Created($"/api/v1/rollouts/{rollout.Id}", RolloutResponse.From(rollout, await progress.ReadAsync(rollout, ct)));
    }

    internal static async Task<IResult> ListAsync(FirmwareDbContext db, string? status, int? page, int? pageSize, CancellationToken ct)
    {
        var errors = Paging.Check(page, pageSize, out var number, out var size);
        var query = db.Set<Rollout>().AsNoTracking();
        if (status is not null)
        {
            if (WireNames.TryParse<RolloutStatus>(status, out var parsed))
            {
                query = query.Where(r => r.Status == parsed);
            }
            else
            {
                errors["status"] = [$"'{status}' is not one of: {string.Join(", ", WireNames.Names<RolloutStatus>())}."];
            }
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        var total = await query.CountAsync(ct);
        var items = await query.OrderByDescending(r => r.Id).Skip((number - 1) * size).Take(size).ToListAsync(ct);
        return TypedResults.Ok(new Paged<RolloutResponse>([.. items.Select(r => RolloutResponse.From(r, null))], number, size, total));
    }

    internal static async Task<IResult> GetAsync(long id, FirmwareDbContext db, RolloutProgressReader progress, CancellationToken ct)
    {
        var rollout = await db.Set<Rollout>().AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, ct);
        return rollout is null ? NotFound(id) : TypedResults.Ok(RolloutResponse.From(rollout, await progress.ReadAsync(rollout, ct)));
    }

    internal static async Task<IResult> DevicesAsync(long id, FirmwareDbContext db, string? state, int? wave, int? page, int? pageSize, CancellationToken ct)
    {
        if (!await db.Set<Rollout>().AnyAsync(r => r.Id == id, ct))
        {
            return NotFound(id);
        }
        var errors = Paging.Check(page, pageSize, out var number, out var size);
        var query = db.Set<RolloutDevice>().AsNoTracking().Where(m => m.RolloutId == id);
        if (state is not null)
        {
            if (WireNames.TryParse<RolloutDeviceState>(state, out var parsed))
            {
                query = query.Where(m => m.State == parsed);
            }
            else
            {
                errors["state"] = [$"'{state}' is not one of: {string.Join(", ", WireNames.Names<RolloutDeviceState>())}."];
            }
        }
        if (wave is { } w)
        {
            query = query.Where(m => m.Wave == w);
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        var total = await query.CountAsync(ct);
        var items = await query.OrderBy(m => m.Wave).ThenBy(m => m.Id).Skip((number - 1) * size).Take(size)
            .Join(db.Set<Device>(), m => m.DeviceId, d => d.Id, (m, d) => new { m, d.ControllerId })
            .ToListAsync(ct);
        return TypedResults.Ok(new Paged<RolloutDeviceResponse>([.. items.Select(x => new RolloutDeviceResponse(
            x.m.DeviceId, x.ControllerId, x.m.Wave, x.m.State, x.m.PackageId, x.m.JobId, x.m.Attempts, x.m.RetryAt,
            x.m.Cause?.ToWire(), x.m.BlockingCheck?.ToWire(), x.m.Reason, x.m.UpdatedAt))], number, size, total));
    }

    internal static async Task<IResult> ActAsync(Task<RolloutActionResult> action)
    {
        var result = await action;
        return result.Error switch
        {
            null => TypedResults.Ok(new RolloutActionResponse(result.Rollout!.Id, result.Rollout.Status, result.Message)),
            RolloutActionError.NotFound => TypedResults.Problem(title: "Rollout not found", detail: result.Message, statusCode: StatusCodes.Status404NotFound),
            RolloutActionError.Conflict => TypedResults.Problem(title: "Rollout is not in a state for this", detail: result.Message, statusCode: StatusCodes.Status409Conflict),
            _ => throw new InvalidOperationException($"Unknown rollout action error {result.Error}."),
        };
    }

    private static IResult NotFound(long id) => TypedResults.Problem(title: "Rollout not found", detail: $"Rollout {id} does not exist.", statusCode: StatusCodes.Status404NotFound);

    private static string Who(ClaimsPrincipal user) => user.Identity?.Name ?? "unknown";
}
