using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Nova.Firmware.Domain.Devices;
using Nova.Firmware.Domain.Jobs;
using Nova.Firmware.Domain.Timeline;
using Nova.Firmware.Domain.Drivers;
using Nova.Firmware.Engine.Observations;
using Nova.Firmware.Persistence;
using Nova.Firmware.Protocols.Ddi;

namespace Nova.Firmware.Server.Ddi;

/// <summary>PUT configData: identity and telemetry merged into the inventory, and onto the timeline.</summary>
public static class DdiConfigDataHandler
{
    internal static async Task<IResult> PutAsync(string tenant, string controllerId, HttpRequest request, DdiDeviceAuthenticator auth,
        FirmwareDbContext db, DdiActionLookup actions, LastSeenTracker lastSeen, IObservationSink sink, TimeProvider time, CancellationToken ct)
    {
        var who = await auth.AuthenticateAsync(request, controllerId, ct);
        if (who is null)
        {
            return TypedResults.Unauthorized();
        }
        DdiConfigData? body;
        try
        {
            body = await request.ReadFromJsonAsync<DdiConfigData>(ct);
        }
        catch (JsonException e)
        {
            return TypedResults.Problem(title: "Malformed configData", detail: e.Message, statusCode: StatusCodes.Status400BadRequest);
        }
        if (body?.Data is null)
        {
            return TypedResults.Problem(title: "Malformed configData", detail: "The body needs a 'data' object of attribute names and values.", statusCode: StatusCodes.Status400BadRequest);
        }
        var now = time.GetUtcNow();
        var device = await db.Set<Device>().SingleAsync(d => d.Id == who.Id, ct);
        var report = await db.Set<DeviceReport>().SingleOrDefaultAsync(r => r.DeviceId == who.Id, ct);
        if (report is null)
        {
            report = new DeviceReport { DeviceId = who.Id };
            db.Add(report);
        }
        var powerEvent = DdiConfigDataMerger.Merge(device, report, body.Data, body.Mode ?? "merge", now);
        var observations = new List<DeviceObservation>
        {
            new(who.Id, TimelineEntryKind.Telemetry,
                $"Reported version {device.Firmware.ActiveVersion ?? "?"}, {(device.Storage.FreeBytes is { } f ? $"{f} bytes free" : "free space not reported")}" +
                (report.BootMode is null ? "" : $", boot mode {report.BootMode}") + (report.ResetReason is null ? "" : $", reset reason {report.ResetReason}"),
                JsonSerializer.Serialize(body.Data)),
        };
        if (powerEvent)
        {
            observations.Add(new(who.Id, TimelineEntryKind.Power, $"The device came back with reset reason '{report.ResetReason}'."));
        }
        // The inventory and report changes above are saved with the entries, in one transaction.
        await sink.RecordAsync(observations, ct);
        actions.Reported(who.Id);
        lastSeen.Record(who.Id, now);
        return TypedResults.Ok();
    }
}
