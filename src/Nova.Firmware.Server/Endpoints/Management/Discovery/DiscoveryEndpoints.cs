using Microsoft.AspNetCore.Http.HttpResults;
using Nova.Firmware.Persistence;
using Nova.Firmware.Server.Auth;

namespace Nova.Firmware.Server.Endpoints.Management.Discovery;

/// <summary>
/// Finding cameras on the network (WS-Discovery, then ONVIF identity) and adding what was found to
/// the inventory. Operators only: a probe sends traffic on the server's networks and signs in to
/// cameras with stored credentials.
/// </summary>
public static class DiscoveryEndpoints
{
    public static RouteGroupBuilder MapDiscoveryEndpoints(this RouteGroupBuilder api)
    {
        var onvif = api.MapGroup("/discovery/onvif").WithTags("Discovery").RequireAuthorization(Policies.Operator);
        onvif.MapPost("/", ProbeAsync);
        onvif.MapDiscoveryImportEndpoint();
        return api;
    }

    internal static async Task<Results<Ok<OnvifProbeResponse>, ValidationProblem>> ProbeAsync(
        OnvifProbeRequest? request, CameraSurvey survey, FirmwareDbContext db, CancellationToken cancellationToken)
    {
        if (ProbePlan.From(request, out var errors) is not { } plan)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }
        return TypedResults.Ok(new OnvifProbeResponse(await survey.RunAsync(plan, db, cancellationToken)));
    }
}
