using System.Text.Json;
using Nova.Firmware.Domain.Common;
using Nova.Firmware.Domain.Jobs;
using Nova.Firmware.Domain.Preflight;
using Nova.Firmware.Domain.Timeline;
using Nova.Firmware.Server.Articles;

namespace Nova.Firmware.Server.Endpoints.Management;

// Management API wire records for device jobs and pre-flight. Enums travel as their wire names.

public sealed record CreateJobRequest(Guid PackageId);

public sealed record TimelineEntryResponse(long Id, DateTimeOffset At, string Kind, string Message, JsonElement? Data)
{
    public static TimelineEntryResponse From(TimelineEntry e) =>
        new(e.Id, e.At, e.Kind.ToWire(), e.Message, ParseData(e.Data));

    internal static JsonElement? ParseData(string? data)
    {
        if (data is null)
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize<JsonElement>(data);
        }
        catch (JsonException)
        {
            return JsonSerializer.SerializeToElement(data);
        }
    }
}

public sealed record JobResponse(
    long Id, Guid DeviceId, Guid PackageId, string Status, string? Cause, string? BlockingCheck, string? StatusReason,
    string TargetVersion, string? PreviousVersion, bool CancelRequested, string CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt,
    JsonElement? PreFlashSnapshot, IReadOnlyList<TimelineEntryResponse>? Timeline)
{
    /// <summary>For a waiting job: when the engine looks again at what holds it back (the reason says what).</summary>
    public DateTimeOffset? RecheckAt { get; init; }
    /// <summary>The classifier's confidence in the cause, in [0, 1], and the lines that decided it.</summary>
    public double? CauseConfidence { get; init; }
    public IReadOnlyList<string>? CauseEvidence { get; init; }
    /// <summary>Set on a job a recovery run started (a retry, a re-attempt, an approved proposal).</summary>
    public long? RecoveryRunId { get; init; }

    /// <summary>For a job with a cause: the article section that explains it (a page anyone can read).</summary>
    public string? ArticleUrl { get; init; }

    public static JobResponse From(DeviceJob j, IReadOnlyList<TimelineEntry>? timeline = null) => new(
        j.Id, j.DeviceId, j.PackageId, j.Status.ToWire(), j.Cause?.ToWire(), j.BlockingCheck?.ToWire(), j.StatusReason,
        j.TargetVersion, j.PreviousVersion, j.CancelRequested, j.CreatedBy, j.CreatedAt, j.UpdatedAt,
        TimelineEntryResponse.ParseData(j.PreFlashSnapshot), timeline?.Select(TimelineEntryResponse.From).ToList())
    {
        RecheckAt = j.Status == DeviceJobStatus.Waiting ? j.NextActionAt : null,
        CauseConfidence = j.CauseConfidence,
        CauseEvidence = j.CauseEvidence,
        RecoveryRunId = j.RecoveryRunId,
        ArticleUrl = j.Cause is { } cause ? ArticleLinks.ForCause(cause) : null,
    };
}

public sealed record PreflightRequest(Guid PackageId, IReadOnlyList<Guid>? DeviceIds, string? Site, string? Model, string? Tag);

public sealed record PreflightCheckResponse(string Check, string Outcome, string Reason, DateTimeOffset? RecheckAt)
{
    public static PreflightCheckResponse From(PreflightCheckResult r) => new(r.Check.ToWire(), r.Outcome.ToWire(), r.Reason, r.RecheckAt);
}

public sealed record PreflightDeviceResponse(Guid DeviceId, string ControllerId, string Decision, string? BlockingCheck, IReadOnlyList<PreflightCheckResponse> Checks);

public sealed record DeviceTokenRequest(string? Token);

public sealed record DeviceTokenResponse(Guid DeviceId, string ControllerId, string Token, string Header);
