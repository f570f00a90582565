using Microsoft.AspNetCore.Http.HttpResults;
using Nova.Firmware.Simulator.Control;
using Nova.Firmware.Simulator.Devices;

namespace Nova.Firmware.Simulator.Faces.Technician;

/// <summary>
/// What only a person at the device can do: insert or remove an SD card image, and hold the recovery
/// button while power comes on (with a card: flash from SD; without: boot the recovery partition).
/// </summary>
public static class TechnicianEndpoints
{
    public const long MaxCardBytes = 512L * 1024 * 1024;

    public static IEndpointRouteBuilder MapTechnicianEndpoints(this IEndpointRouteBuilder app)
    {
        var technician = app.MapGroup("/technician/v1/devices/{id}").WithTags("Technician");
        technician.MapPut("/sd-card", async Task<Results<Ok<DeviceTruth>, ProblemHttpResult>> (Simulation sim, string id, HttpRequest request, CancellationToken ct) =>
        {
            if (sim.Find(id) is not { } device)
            {
                return ControlEndpoints.NotFound(id);
            }
            if (!device.Spec.HasSdSlot)
            {
                return TypedResults.Problem($"{id} has no SD card slot.", statusCode: StatusCodes.Status409Conflict);
            }
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body, ct);
            if (body.Length is 0 or > MaxCardBytes)
            {
                return TypedResults.Problem("The SD card image must be between 1 byte and 512 MiB.", statusCode: StatusCodes.Status400BadRequest);
            }
            device.InsertSdCard(body.ToArray());
            return TypedResults.Ok(device.Truth());
        });
        technician.MapDelete("/sd-card", Results<Ok<DeviceTruth>, ProblemHttpResult> (Simulation sim, string id) =>
            ControlEndpoints.Act(sim, id, d => d.RemoveSdCard()));
        technician.MapPost("/recovery-button", Results<Ok<DeviceTruth>, ProblemHttpResult> (Simulation sim, string id) =>
            ControlEndpoints.Act(sim, id, d => d.HoldRecoveryButtonAndPowerOn()));
        return app;
    }
}
