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
    internal static async Task<IResult> PutAsync(HttpRequest request,
        FirmwareDbContext db, DdiActionLookup actions, LastSeenTracker lastSeen, IObservationSink sink, TimeProvider time, CancellationToken ct)
    {
        var who = request.HttpContext.DdiCaller().Device;
        if (!request.HasJsonContentType())
        {
            return TypedResults.Problem(title: "Unsupported content type", detail: "configData is a JSON body (Content-Type: application/json).",
                statusCode: StatusCodes.Status415UnsupportedMediaType);
        }
        DdiConfigData? body;
        try
        {
            body = await request.ReadFromJsonAsync<DdiConfigData>(ct);
        }
        catch (JsonException e)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [Hardening.BadRequestProblemHandler.FieldName(e.Path)] = [e is Hardening.UnstorableTextException ? e.Message : "Malformed JSON."] },
                title: "Malformed configData");
        }
        if (body?.Data is null)
        {
            return TypedResults.Problem(title: "Malformed configData", detail: "The body needs a 'data' object of attribute names and values.", statusCode: StatusCodes.Status400BadRequest);
        }
        var now = time.GetUtcNow();
        var device = await db.Set<Device>().SingleOrDefaultAsync(d => d.Id == who.Id, ct);
        if (device is null)
        {
            return TypedResults.Unauthorized(); // deleted since its credentials were cached
        }
        if (DdiReportRules.CheckConfigData(body.Data, body.Mode, device) is { Count: > 0 } refused)
        {
            return TypedResults.ValidationProblem(refused, title: "configData refused: nothing was stored");
        }
        var rulesBefore = DeviceRules.Check(device);
        var report = await db.Set<DeviceReport>().SingleOrDefaultAsync(r => r.DeviceId == who.Id, ct);
        if (report is null)
        {
            report = new DeviceReport { DeviceId = who.Id };
            db.Add(report);
        }
        var powerEvent = DdiConfigDataMerger.Merge(device, report, body.Data, body.Mode ?? "merge", now);
        // The merged device must still meet the inventory's rules (as an operator's edit would); only
        // the rules this report broke count, not ones the record broke before.
        if (DdiReportRules.NewDeviceRuleBreaks(rulesBefore, DeviceRules.Check(device)) is { Count: > 0 } broken)
        {
            db.ChangeTracker.Clear();
            return TypedResults.ValidationProblem(broken, title: "configData refused: nothing was stored");
        }
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
