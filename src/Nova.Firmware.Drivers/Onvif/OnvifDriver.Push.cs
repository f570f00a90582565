using Nova.Firmware.Domain.Drivers;
using Nova.Firmware.Domain.Timeline;
using Nova.Firmware.Protocols.Onvif;

namespace Nova.Firmware.Drivers.Onvif;

/// <summary>
/// The push: StartFirmwareUpgrade, the streamed POST of the image to UploadUri after UploadDelay,
/// then following the camera through its reboot. Every step is written to the timeline before the
/// next one starts, so after a crash the driver knows how far it got and, by asking the camera,
/// whether the image reached it: it is never sent again blindly.
/// </summary>
public sealed partial class OnvifDriver
{
    public async Task<DriverResult> TransferAndFlashAsync(DriverContext context, CancellationToken cancellationToken)
    {
        var (client, failure) = await clients.ForAsync(context.Device, cancellationToken);
        if (client is null)
        {
            return failure!;
        }
        FirmwareUpgradeTicket ticket;
        try
        {
            ticket = await client.StartFirmwareUpgradeAsync(cancellationToken);
        }
        catch (OnvifException e)
        {
            var refused = OnvifErrors.ToResult(e);
            if (refused.Outcome == DriverOutcome.Failed)
            {
                await RecordAsync(context, OnvifStep.UploadRefused, refused.Reason!, cancellationToken);
            }
            return refused;
        }
        await RecordAsync(context, new OnvifObservation(OnvifStep.UpgradeStarted, context.Attempt,
            [$"StartFirmwareUpgrade: upload to {ticket.UploadUri.GetLeftPart(UriPartial.Path)} after {ticket.UploadDelay}, expected down time {ticket.ExpectedDownTime}."])
        {
            ExpectedDownSeconds = ticket.ExpectedDownTime.TotalSeconds,
            UploadDelaySeconds = ticket.UploadDelay.TotalSeconds,
        }, cancellationToken);
        await using var image = await context.OpenImageAsync(cancellationToken);
        try
        {
            var result = await client.UploadFirmwareAsync(ticket, image, context.Package.Size, progress: null, cancellationToken);
            await RecordAsync(context, new OnvifObservation(OnvifStep.UploadAccepted, context.Attempt,
                [$"The camera took the image ({result.BytesSent} bytes, HTTP {result.HttpStatus}){(string.IsNullOrWhiteSpace(result.ResponseText) ? "" : $": {result.ResponseText.Trim()}")}; it reprograms and reboots."])
            {
                HttpStatus = result.HttpStatus,
                ExpectedDownSeconds = ticket.ExpectedDownTime.TotalSeconds,
            }, cancellationToken);
            return DriverResult.Done($"Uploaded {result.BytesSent} bytes.");
        }
        catch (OnvifUploadException e)
        {
            var words = $"HTTP {e.HttpStatus} from the camera's upload URI: {e.ResponseText.Trim()}";
            await RecordAsync(context, new OnvifObservation(OnvifStep.UploadRefused, context.Attempt, [words]) { HttpStatus = e.HttpStatus }, cancellationToken);
            return DriverResult.Failed(words);
        }
        catch (OnvifUnreachableException e)
        {
            await RecordAsync(context, OnvifStep.UploadCutOff, $"The upload broke off after {e.BytesSent ?? 0} of {context.Package.Size} bytes: {e.Reason}.", cancellationToken);
            return DriverResult.Unreachable($"The upload broke off: {e.Reason}.");
        }
        catch (OnvifException e)
        {
            var refused = OnvifErrors.ToResult(e);
            await RecordAsync(context, OnvifStep.UploadRefused, refused.Reason!, cancellationToken);
            return refused;
        }
    }

    /// <summary>
    /// Looks at the camera while the job waits on it. After the camera took the image: notes when
    /// it goes down and when it answers again (on which version). After a push that broke off or
    /// whose outcome was never written (a crash): the camera on its new version means it took the
    /// image; idle on its old version for longer than it could still be writing means the image
    /// never arrived, and only then may the engine send it again.
    /// </summary>
    public async Task FollowAsync(DriverContext context, CancellationToken cancellationToken)
    {
        var mine = context.Observations
            .Select(o => (Entry: o, Push: OnvifObservation.TryParse(o.Data)))
            .Where(o => o.Push is { } p && p.Attempt == context.Attempt)
            .ToList();
        if (mine.Any(o => o.Push!.Step is OnvifStep.CameBack or OnvifStep.UploadRefused or OnvifStep.UploadLost))
        {
            return;
        }
        var accepted = mine.LastOrDefault(o => o.Push!.Step == OnvifStep.UploadAccepted);
        var started = mine.LastOrDefault(o => o.Push!.Step == OnvifStep.UpgradeStarted);
        if (accepted.Entry is null && context.Job.ActionServedAt is null)
        {
            return;
        }
        var reading = await ReadAsync(context.Device, withVendorStatus: true, cancellationToken);
        var target = context.Job.TargetVersion;
        if (reading.Outcome != DriverOutcome.Done)
        {
            if (accepted.Entry is not null && !mine.Any(o => o.Push!.Step == OnvifStep.WentDown))
            {
                await RecordAsync(context, OnvifStep.WentDown, $"The camera stopped answering ({reading.Reason}); rebooting into the new image.", cancellationToken);
            }
            return;
        }
        var version = reading.Reading!.FirmwareVersion;
        var downTime = TimeSpan.FromSeconds((accepted.Push ?? started.Push)?.ExpectedDownSeconds ?? 0);
        if (string.Equals(version, target, StringComparison.Ordinal))
        {
            await context.ReportReadingAsync(reading.Reading, cancellationToken);
            await RecordAsync(context, new OnvifObservation(OnvifStep.CameBack, context.Attempt, [$"The camera answers again, running {version}."]) { Version = version }, cancellationToken);
            return;
        }
        if (accepted.Entry is not null)
        {
            // Still on the old version: writing, or back after a failed boot of the new image.
            var wentDown = mine.Any(o => o.Push!.Step == OnvifStep.WentDown);
            if (wentDown || context.Now - accepted.Entry.At > downTime + options.Value.ReturnGrace)
            {
                await context.ReportReadingAsync(reading.Reading, cancellationToken);
                await RecordAsync(context, new OnvifObservation(OnvifStep.CameBack, context.Attempt,
                    [$"The camera answers again, still running {version ?? "an unknown version"} instead of {target}."]) { Version = version }, cancellationToken);
            }
            return;
        }
        // No outcome written for this attempt: the push broke off, or its issuer died mid-way. A
        // push that died with its server may have sent bytes until the moment it died, long after
        // its last entry: the camera may have received the whole image then. The push has ended by
        // the time another step looks (that step holds the job's lease), so the camera's idle time
        // is counted from this first look, never from the last entry of a push nobody closed.
        if (!mine.Any(o => o.Push!.Step == OnvifStep.UploadCutOff))
        {
            await RecordAsync(context, OnvifStep.UploadCutOff,
                $"No outcome of the push of attempt {context.Attempt} on record (it broke off, or the server stopped while sending): the camera is watched from now before anything is sent again.",
                cancellationToken);
            return;
        }
        var lastWord = mine[^1].Entry.At;
        var writing = reading.Reading.BootMode is { } mode && !mode.Equals("normal", StringComparison.OrdinalIgnoreCase);
        if (!writing && context.Now - lastWord > downTime + options.Value.InterruptedUploadGrace)
        {
            await RecordAsync(context, new OnvifObservation(OnvifStep.UploadLost, context.Attempt,
                [$"The camera is idle on {version ?? "its old firmware"} since the upload broke off at {lastWord:u}: the image never reached it."]) { Version = version }, cancellationToken);
        }
    }

    public JobSignal? Interpret(TimelineEntry observation)
    {
        if (observation.Kind != TimelineEntryKind.Feedback || OnvifObservation.TryParse(observation.Data) is not { } push)
        {
            return null;
        }
        var kind = push.Step switch
        {
            OnvifStep.UploadAccepted => JobSignalKind.Installed,
            OnvifStep.UploadRefused => JobSignalKind.ReportedFailure,
            OnvifStep.CameBack => JobSignalKind.ReportedSuccess,
            OnvifStep.UploadLost => JobSignalKind.TransferLost,
            OnvifStep.UpgradeStarted or OnvifStep.UploadCutOff or OnvifStep.WentDown => JobSignalKind.Progress,
            _ => JobSignalKind.Progress,
        };
        return new JobSignal(kind, push.Details);
    }

    private Task RecordAsync(DriverContext context, OnvifStep step, string detail, CancellationToken ct) =>
        RecordAsync(context, new OnvifObservation(step, context.Attempt, [detail]), ct);

    private static Task RecordAsync(DriverContext context, OnvifObservation push, CancellationToken ct) =>
        context.ObserveAsync(TimelineEntryKind.Feedback, $"ONVIF {System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(push.Step.ToString())}: {push.Details.FirstOrDefault()}", push.ToJson(), ct);
}
