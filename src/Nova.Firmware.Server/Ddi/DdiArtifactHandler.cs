using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;
using Nova.Firmware.Domain.Jobs;
using Nova.Firmware.Domain.Packages;
using Nova.Firmware.Domain.Timeline;
using Nova.Firmware.Domain.Drivers;
using Nova.Firmware.Engine.Observations;
using Nova.Firmware.Persistence;
using Nova.Firmware.Server.Packages;

namespace Nova.Firmware.Server.Ddi;

/// <summary>Artifact download for devices: only a package one of the device's own jobs points at; Range resumes.</summary>
public static class DdiArtifactHandler
{
    internal static async Task<IResult> DownloadAsync(Guid moduleId, string fileName, HttpRequest request,
        FirmwareDbContext db, BlobStore blobs, IObservationSink sink, Telemetry.DeviceApiMetrics metrics, CancellationToken ct)
    {
        var who = request.HttpContext.DdiCaller().Device;
        // Only while the action is open: a blocked, cancelled or finished job's artifact is not served.
        var job = await db.Set<DeviceJob>().AsNoTracking()
            .Where(j => j.DeviceId == who.Id && j.PackageId == moduleId
                && (j.Status == DeviceJobStatus.Transferring || j.Status == DeviceJobStatus.Flashing || j.Status == DeviceJobStatus.Rebooting))
            .OrderByDescending(j => j.Id).FirstOrDefaultAsync(ct);
        var package = job is null ? null : await db.Set<FirmwarePackage>().AsNoTracking().SingleOrDefaultAsync(p => p.Id == moduleId, ct);
        if (job is null || package is null || !string.Equals(package.FileName, fileName, StringComparison.Ordinal))
        {
            return TypedResults.Problem(title: "No such artifact", detail: "This device has no action for that artifact.", statusCode: StatusCodes.Status404NotFound);
        }
        if (package.QuarantinedAt is not null)
        {
            // The stored copy no longer matches its hash: never hand it to a device, even mid-action.
            return TypedResults.Problem(title: "Artifact quarantined", detail: $"{package.FileName} is quarantined: {package.QuarantineReason}", statusCode: StatusCodes.Status410Gone);
        }
        var range = request.Headers.Range.ToString();
        if (HttpMethods.IsHead(request.Method))
        {
            // Size and validators only: nothing is downloaded, so nothing goes on the timeline.
            return TypedResults.PhysicalFile(blobs.PathFor(package.Sha256), "application/octet-stream", fileDownloadName: null,
                entityTag: new EntityTagHeaderValue($"\"{package.Sha256}\""), enableRangeProcessing: true);
        }
        await sink.RecordAsync(new DeviceObservation(who.Id, TimelineEntryKind.Transfer,
            string.IsNullOrEmpty(range) ? $"Download of {package.FileName} started." : $"Download of {package.FileName} resumed ({range}).", JobId: job.Id), ct);
        Telemetry.ArtifactResponses.CountWhenSent(request.HttpContext, metrics, "ddi");
        BlobSendFile.Use(request.HttpContext);
        return TypedResults.PhysicalFile(blobs.PathFor(package.Sha256), "application/octet-stream", fileDownloadName: null,
            entityTag: new EntityTagHeaderValue($"\"{package.Sha256}\""), enableRangeProcessing: true);
    }
}
