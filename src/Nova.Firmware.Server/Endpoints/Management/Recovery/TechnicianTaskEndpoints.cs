using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Nova.Firmware.Domain.Common;
using Nova.Firmware.Domain.Recovery;
using Nova.Firmware.Engine.Recovery;
using Nova.Firmware.Persistence;
using Nova.Firmware.Server.Auth;

namespace Nova.Firmware.Server.Endpoints.Management.Recovery;

/// <summary>Technician tasks: the steps for a person at the device, their photos, and done or failed.</summary>
public static class TechnicianTaskEndpoints
{
    public static RouteGroupBuilder MapTechnicianTaskEndpoints(this RouteGroupBuilder api)
    {
        var tasks = api.MapGroup("/technician-tasks").WithTags("Technician tasks");
        tasks.MapGet("/", ListAsync).WithSummary("Technician tasks, newest first; filter by status or device.");
        tasks.MapGet("/{id:long}", GetAsync).WithSummary("One task: the model's steps, the SD image with its SHA-256 and link, the LED to wait for, photos.");
        tasks.MapPost("/{id:long}/complete", CompleteAsync).RequireAuthorization(Policies.Operator).WithSummary("The steps are done: the engine verifies the device.");
        tasks.MapPost("/{id:long}/fail", FailAsync).RequireAuthorization(Policies.Operator).WithSummary("The device could not be brought back: the run ends in RMA.");
        tasks.MapPost("/{id:long}/photos", UploadPhotoAsync).RequireAuthorization(Policies.Operator).DisableAntiforgery()
            .WithSummary("Upload one photo as the raw body (image/jpeg, image/png, image/webp, image/heic; at most 10 MiB); ?fileName=&caption=.");
        tasks.MapGet("/{id:long}/photos/{photoId:long}", PhotoAsync).WithSummary("One photo's bytes.");
        return api;
    }

    internal static async Task<IResult> ListAsync(FirmwareDbContext db, string? status, Guid? deviceId, int? page, int? pageSize, CancellationToken ct)
    {
        var query = db.Set<TechnicianTask>().AsNoTracking();
        if (status is not null)
        {
            if (!WireNames.TryParse<TechnicianTaskStatus>(status, out var s))
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["status"] = [$"Unknown status '{status}'; one of {string.Join(", ", WireNames.Names<TechnicianTaskStatus>())}."] });
            }
            query = query.Where(t => t.Status == s);
        }
        if (deviceId is { } d)
        {
            query = query.Where(t => t.DeviceId == d);
        }
        if (Paging.Check(page, pageSize, out var number, out var size) is { Count: > 0 } pagingErrors)
        {
            return TypedResults.ValidationProblem(pagingErrors);
        }
        var total = await query.CountAsync(ct);
        var items = await query.OrderByDescending(t => t.Id).Skip((number - 1) * size).Take(size).ToListAsync(ct);
        var ids = items.Select(t => t.Id).ToList();
        var photos = await PhotosAsync(db, ids, ct);
        return TypedResults.Ok(new { items = items.Select(t => TechnicianTaskResponse.From(t, photos.GetValueOrDefault(t.Id, []))), page = number, pageSize = size, total });
    }

    internal static async Task<IResult> GetAsync(long id, FirmwareDbContext db, CancellationToken ct)
    {
        var task = await db.Set<TechnicianTask>().AsNoTracking().SingleOrDefaultAsync(t => t.Id == id, ct);
        if (task is null)
        {
            return RecoveryEndpoints.NotFound($"Technician task {id} does not exist.");
        }
        var photos = await PhotosAsync(db, [id], ct);
        return TypedResults.Ok(TechnicianTaskResponse.From(task, photos.GetValueOrDefault(id, [])));
    }

    /// <summary>Photo metadata without the bytes: the size is computed by the database.</summary>
    private static async Task<Dictionary<long, List<TechnicianPhotoResponse>>> PhotosAsync(FirmwareDbContext db, List<long> taskIds, CancellationToken ct)
    {
        var rows = await db.Set<TechnicianPhoto>().AsNoTracking().Where(p => taskIds.Contains(p.TaskId)).OrderBy(p => p.Id)
            .Select(p => new { p.Id, p.TaskId, p.DeviceId, p.FileName, p.ContentType, p.Caption, p.Sha256, p.UploadedAt, p.UploadedBy, Size = (long)p.Content.Length })
            .ToListAsync(ct);
        return rows.GroupBy(r => r.TaskId).ToDictionary(g => g.Key, g => g.Select(r => TechnicianPhotoResponse.From(new TechnicianPhoto
        {
            Id = r.Id, TaskId = r.TaskId, DeviceId = r.DeviceId, FileName = r.FileName, ContentType = r.ContentType, Caption = r.Caption,
            Content = [], Sha256 = r.Sha256, UploadedAt = r.UploadedAt, UploadedBy = r.UploadedBy,
        }, r.Size)).ToList());
    }

    internal static async Task<IResult> CompleteAsync(long id, RecoveryNoteRequest? request, RecoveryService recovery, ClaimsPrincipal user, CancellationToken ct) =>
        RecoveryEndpoints.ToTaskResult(await recovery.CompleteTaskAsync(id, RecoveryEndpoints.Who(user), request?.Note, ct), id);

    internal static async Task<IResult> FailAsync(long id, RecoveryNoteRequest? request, RecoveryService recovery, ClaimsPrincipal user, CancellationToken ct) =>
        RecoveryEndpoints.ToTaskResult(await recovery.FailTaskAsync(id, RecoveryEndpoints.Who(user), request?.Note, ct), id);

    internal static async Task<IResult> UploadPhotoAsync(long id, HttpRequest request, string? fileName, string? caption, RecoveryService recovery, ClaimsPrincipal user, CancellationToken ct)
    {
        if (request.ContentLength > RecoveryService.MaxPhotoBytes)
        {
            return TypedResults.Problem(title: "Photo too large", detail: $"A photo may be at most {RecoveryService.MaxPhotoBytes} bytes.", statusCode: StatusCodes.Status413PayloadTooLarge);
        }
        using var body = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(buffer, ct)) > 0)
        {
            if (body.Length + read > RecoveryService.MaxPhotoBytes)
            {
                return TypedResults.Problem(title: "Photo too large", detail: $"A photo may be at most {RecoveryService.MaxPhotoBytes} bytes.", statusCode: StatusCodes.Status413PayloadTooLarge);
            }
            body.Write(buffer, 0, read);
        }
        var type = (request.ContentType ?? "").Split(';')[0].Trim();
        var (photo, result) = await recovery.AddPhotoAsync(id, fileName ?? "photo", type, caption, body.ToArray(), RecoveryEndpoints.Who(user), ct);
        if (photo is null)
        {
            return RecoveryEndpoints.ToTaskResult(result, id);
        }
        return TypedResults.Created($"/api/v1/technician-tasks/{id}/photos/{photo.Id}", TechnicianPhotoResponse.From(photo, photo.Content.LongLength));
    }

    internal static async Task<IResult> PhotoAsync(long id, long photoId, FirmwareDbContext db, CancellationToken ct)
    {
        var photo = await db.Set<TechnicianPhoto>().AsNoTracking().SingleOrDefaultAsync(p => p.Id == photoId && p.TaskId == id, ct);
        return photo is null
            ? RecoveryEndpoints.NotFound($"Technician task {id} has no photo {photoId}.")
            : TypedResults.File(photo.Content, photo.ContentType, photo.FileName);
    }
}
