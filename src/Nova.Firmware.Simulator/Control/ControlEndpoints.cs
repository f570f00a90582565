using Microsoft.AspNetCore.Http.HttpResults;
using Nova.Firmware.Simulator.Devices;
using Nova.Firmware.Simulator.Faults;

namespace Nova.Firmware.Simulator.Control;

/// <summary>
/// The test-and-demo control plane (not a device face): list devices, read each device's true state,
/// inject faults into one device or a fraction of the fleet, cut and restore power.
/// </summary>
public static class ControlEndpoints
{
    public static IEndpointRouteBuilder MapControlEndpoints(this IEndpointRouteBuilder app)
    {
        var control = app.MapGroup("/control/v1").WithTags("Control");
        control.MapGet("/devices", (Simulation sim, string? mode) =>
            TypedResults.Ok(sim.Devices
                .Where(d => mode is null || string.Equals(Wire.Name(d.Mode), mode, StringComparison.OrdinalIgnoreCase))
                .Select(d => new DeviceSummary(d.Id, d.Spec.Kind, d.Mode, d.RunningVersion, d.Led, d.ResetReason, d.FlashCount, d.PowerFeed))));
        control.MapGet("/devices/{id}", Results<Ok<DeviceTruth>, ProblemHttpResult> (Simulation sim, string id) =>
            sim.Find(id) is { } device ? TypedResults.Ok(device.Truth()) : NotFound(id));
        control.MapPost("/devices/{id}/faults", Results<Ok<DeviceTruth>, ProblemHttpResult, ValidationProblem> (Simulation sim, string id, FaultRequest fault) =>
        {
            if (sim.Find(id) is not { } device)
            {
                return NotFound(id);
            }
            if (Invalid(fault) is { } problem)
            {
                return problem;
            }
            sim.InjectFault(id, fault);
            return TypedResults.Ok(device.Truth());
        });
        control.MapDelete("/devices/{id}/faults", Results<NoContent, ProblemHttpResult> (Simulation sim, string id) =>
        {
            if (sim.Find(id) is null)
            {
                return NotFound(id);
            }
            sim.ClearFaults(id);
            return TypedResults.NoContent();
        });
        control.MapPost("/faults", Results<Ok<FleetFaultResult>, ValidationProblem> (Simulation sim, FleetFaultRequest request) =>
        {
            if (Invalid(request.Fault) is { } problem)
            {
                return problem;
            }
            if (request.Fraction is < 0 or > 1)
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["fraction"] = ["fraction must be between 0 and 1."] });
            }
            return TypedResults.Ok(new FleetFaultResult(sim.InjectFault(request.Fault, request.Fraction, request.Seed ?? 1)));
        });
        control.MapPost("/devices/{id}/power-cycle", Results<Ok<DeviceTruth>, ProblemHttpResult> (Simulation sim, string id) =>
        {
            if (sim.Find(id) is not { } device)
            {
                return NotFound(id);
            }
            sim.PowerCycle(id);
            return TypedResults.Ok(device.Truth());
        });
        control.MapPost("/devices/{id}/power-off", Results<Ok<DeviceTruth>, ProblemHttpResult> (Simulation sim, string id) =>
            Act(sim, id, d => d.CutPower(ResetReason.PowerLoss)));
        control.MapPost("/devices/{id}/power-on", Results<Ok<DeviceTruth>, ProblemHttpResult> (Simulation sim, string id) =>
            Act(sim, id, d => d.PowerOn(ResetReason.PowerLoss)));
        control.MapGet("/switches", (Simulation sim) =>
            TypedResults.Ok(sim.Switches.Select(s => new SwitchSummary(s.Id, s.BudgetWatts, s.DrawWatts, s.BrownoutCount, s.PeakWriting, s.PeakDrawWatts, [.. s.Devices.Select(d => d.Id)]))));
        control.MapPost("/switches/{id}/brownout", Results<NoContent, ProblemHttpResult> (Simulation sim, string id) =>
        {
            if (sim.FindSwitch(id) is not { } poe)
            {
                return TypedResults.Problem($"No PoE switch '{id}'.", statusCode: StatusCodes.Status404NotFound);
            }
            poe.Brownout();
            return TypedResults.NoContent();
        });
        return app;
    }

    internal static Results<Ok<DeviceTruth>, ProblemHttpResult> Act(Simulation sim, string id, Action<SimulatedDevice> action)
    {
        if (sim.Find(id) is not { } device)
        {
            return NotFound(id);
        }
        action(device);
        return TypedResults.Ok(device.Truth());
    }

    internal static ProblemHttpResult NotFound(string id) =>
        TypedResults.Problem($"No simulated device '{id}'.", statusCode: StatusCodes.Status404NotFound, title: "Unknown device");

    private static ValidationProblem? Invalid(FaultRequest? fault)
    {
        var errors = new Dictionary<string, string[]>();
        if (fault is null)
        {
            errors["fault"] = ["A fault is required."];
        }
        else
        {
            if (!Enum.IsDefined(fault.Kind))
            {
                errors["kind"] = ["Unknown fault kind."];
            }
            if (fault.Percent is < 0 or > 100)
            {
                errors["percent"] = ["percent must be between 0 and 100."];
            }
            if (fault.Count is < 1)
            {
                errors["count"] = ["count must be at least 1."];
            }
        }
        return errors.Count == 0 ? null : TypedResults.ValidationProblem(errors);
    }
}

public sealed record DeviceSummary(string Id, DeviceKind Kind, DeviceMode Mode, string? RunningVersion, LedState Led, ResetReason ResetReason, int FlashCount, string PowerFeed);

public sealed record SwitchSummary(string Id, double BudgetWatts, double DrawWatts, int BrownoutCount, int PeakWriting, double PeakDrawWatts, IReadOnlyList<string> Devices);

public sealed record FleetFaultRequest(FaultRequest Fault, double Fraction, int? Seed = null);

public sealed record FleetFaultResult(IReadOnlyList<string> Devices);
