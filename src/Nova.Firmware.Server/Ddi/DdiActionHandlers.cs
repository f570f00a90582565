using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Nova.Firmware.Domain.Jobs;
using Nova.Firmware.Domain.Packages;
using Nova.Firmware.Domain.Timeline;
using Nova.Firmware.Drivers.Ddi;
using Nova.Firmware.Domain.Drivers;
using Nova.Firmware.Engine.Observations;
using Nova.Firmware.Persistence;
using Nova.Firmware.Protocols.Ddi;

namespace Nova.Firmware.Server.Ddi;

/// <summary>An action (a device job, as the device sees it): the deployment, its feedback, its cancellation.</summary>
public static class DdiActionHandlers
{
    /// <summary>Per-request limit on a feedback body: far above what SWUpdate sends (its log lines are a few KB).</summary>
    public const int MaxFeedbackBytes = 1024 * 1024;

    internal static async Task<IResult> GetDeploymentAsync(string tenant, string controllerId, long actionId, HttpRequest request,
        FirmwareDbContext db, IObservationSink sink, IOptions<DdiOptions> options, TimeProvider time, CancellationToken ct)
    {
        var who = request.HttpContext.DdiCaller().Device;
        var job = await db.Set<DeviceJob>().AsNoTracking().SingleOrDefaultAsync(j => j.Id == actionId && j.DeviceId == who.Id, ct);
        if (job is null)
        {
            return NotFound(actionId);
        }
        Telemetry.RequestTags.Tag(job.Id, who.Id);
        var package = await db.Set<FirmwarePackage>().AsNoTracking().SingleAsync(p => p.Id == job.PackageId, ct);
        if (job.ActionServedAt is null)
        {
            var now = time.GetUtcNow();
            var first = await db.Set<DeviceJob>().Where(j => j.Id == actionId && j.ActionServedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(j => j.ActionServedAt, now), ct);
            if (first == 1)
            {
                await sink.RecordAsync(new DeviceObservation(who.Id, TimelineEntryKind.Command,
                    $"The device fetched action {job.Id}: {package.FileName} ({package.Size} bytes, sha256 {package.Sha256}).", JobId: job.Id), ct);
            }
        }
        var self = DdiEndpoints.BaseUrl(request, options.Value, tenant, controllerId);
        var href = $"{self}/softwaremodules/{package.Id}/artifacts/{Uri.EscapeDataString(package.FileName)}";
        var artifact = new DdiArtifact(package.FileName, package.Size, new DdiArtifactHashes(package.Sha1, package.Md5, package.Sha256),
            new DdiArtifactLinks(new DdiLink(href), new DdiLink(href)));
        var chunk = new DdiChunk("os", package.Version, $"{package.Vendor} {package.Version}", [artifact]);
        return TypedResults.Ok(new DdiDeploymentBase(job.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            new DdiDeployment(DdiValues.Handling.Forced, DdiValues.Handling.Forced, [chunk], "available")));
    }

    internal static Task<IResult> PostFeedbackAsync(long actionId, HttpRequest request,
        FirmwareDbContext db, DdiActionLookup actions, IObservationSink sink, CancellationToken ct) =>
        RecordFeedbackAsync(actionId, cancel: false, request, db, actions, sink, ct);

    internal static Task<IResult> PostCancelFeedbackAsync(long actionId, HttpRequest request,
        FirmwareDbContext db, DdiActionLookup actions, IObservationSink sink, CancellationToken ct) =>
        RecordFeedbackAsync(actionId, cancel: true, request, db, actions, sink, ct);

    internal static async Task<IResult> GetCancelAsync(long actionId, HttpRequest request,
        FirmwareDbContext db, CancellationToken ct)
    {
        var who = request.HttpContext.DdiCaller().Device;
        var exists = await db.Set<DeviceJob>().AsNoTracking().AnyAsync(j => j.Id == actionId && j.DeviceId == who.Id && j.CancelRequested, ct);
        var id = actionId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return exists ? TypedResults.Ok(new DdiCancel(id, new DdiCancelActionStop(id))) : NotFound(actionId);
    }

    /// <summary>
    /// Every feedback post goes on the timeline, raw body kept when it is not valid JSON; the engine
    /// reads them all to diagnose. A closing report marks the action closed at once, so that no
    /// later poll serves it again before the engine has caught up.
    /// </summary>
    private static async Task<IResult> RecordFeedbackAsync(long actionId, bool cancel, HttpRequest request,
        FirmwareDbContext db, DdiActionLookup actions, IObservationSink sink, CancellationToken ct)
    {
        var who = request.HttpContext.DdiCaller().Device;
        var job = await db.Set<DeviceJob>().AsNoTracking().SingleOrDefaultAsync(j => j.Id == actionId && j.DeviceId == who.Id, ct);
        if (job is null)
        {
            return NotFound(actionId);
        }
        Telemetry.RequestTags.Tag(job.Id, who.Id);
        if (request.ContentLength > MaxFeedbackBytes || await ReadBodyAsync(request, ct) is not { } body)
        {
            return TypedResults.Problem(title: "Feedback too large", detail: $"A feedback body has at most {MaxFeedbackBytes} bytes; nothing was stored.",
                statusCode: StatusCodes.Status413PayloadTooLarge);
        }
        var feedback = DdiFeedbackParser.Parse(actionId, body, cancel);
        if (DdiReportRules.CheckFeedback(body, feedback) is { Count: > 0 } refused)
        {
            return TypedResults.ValidationProblem(refused, title: "Feedback refused: nothing was stored");
        }
        var closing = feedback.Execution is DdiValues.Execution.Closed or DdiValues.Execution.Canceled or DdiValues.Execution.Rejected;
        if (closing)
        {
            await db.Set<DeviceJob>().Where(j => j.Id == job.Id && !j.ActionClosed)
                .ExecuteUpdateAsync(s => s.SetProperty(j => j.ActionClosed, true), ct);
        }
        await sink.RecordAsync(new DeviceObservation(who.Id, TimelineEntryKind.Feedback, feedback.Summary(), JsonSerializer.Serialize(feedback), job.Id), ct);
        actions.Forget(who.Id);
        return TypedResults.Ok();
    }

    /// <summary>
    /// The body as text, or null when it is longer than <see cref="MaxFeedbackBytes"/> characters (a
    /// device that sends more is refused, not cut short); read in small pieces, not into one large buffer per post.
    /// </summary>
    private static async Task<string?> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        using var reader = new StreamReader(request.Body, System.Text.Encoding.UTF8);
        var text = new System.Text.StringBuilder();
        var buffer = new char[8192];
        int read;
        while ((read = await reader.ReadAsync(buffer.AsMemory(), ct)) > 0)
        {
            text.Append(buffer, 0, read);
            if (text.Length > MaxFeedbackBytes)
            {
                return null;
            }
        }
        return text.ToString();
    }

    private static IResult NotFound(long actionId) =>
        TypedResults.Problem(title: "No such action", detail: $"Action {actionId} does not exist for this device.", statusCode: StatusCodes.Status404NotFound);
}
