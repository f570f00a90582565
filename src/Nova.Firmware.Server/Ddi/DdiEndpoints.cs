using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Nova.Firmware.Protocols.Ddi;
using Nova.Firmware.Server.Telemetry;

namespace Nova.Firmware.Server.Ddi;

/// <summary>
/// The hawkBit Direct Device Integration API at hawkBit's own paths, so SWUpdate, RAUC's hawkBit
/// updater and other hawkBit clients work unchanged. Everything a client calls answers 200 on
/// success: SWUpdate treats 204 as an error.
/// </summary>
public static class DdiEndpoints
{
    public const string Root = "/{tenant}/controller/v1/{controllerId}";

    public static IEndpointRouteBuilder MapDdiEndpoints(this IEndpointRouteBuilder app)
    {
        var ddi = app.MapGroup(Root).WithTags("DDI (devices)").ExcludeFromDescription().AddEndpointFilter<DdiRequestFilter>();
        ddi.MapGet("", PollAsync).WithMetadata(DdiPollEndpoint.Marker);
        // The handlers read their bodies themselves (feedback leniently); Accepts declares what they read.
        ddi.MapPut("/configData", DdiConfigDataHandler.PutAsync).Accepts<DdiConfigData>("application/json");
        ddi.MapGet("/deploymentBase/{actionId:long}", DdiActionHandlers.GetDeploymentAsync);
        ddi.MapPost("/deploymentBase/{actionId:long}/feedback", DdiActionHandlers.PostFeedbackAsync).Accepts<DdiActionFeedback>("application/json");
        ddi.MapGet("/cancelAction/{actionId:long}", DdiActionHandlers.GetCancelAsync);
        ddi.MapPost("/cancelAction/{actionId:long}/feedback", DdiActionHandlers.PostCancelFeedbackAsync).Accepts<DdiActionFeedback>("application/json");
        // HEAD too: SWUpdate asks for the size first ("Failed to get total download size" otherwise).
        ddi.MapMethods("/softwaremodules/{moduleId:guid}/artifacts/{fileName}", [HttpMethods.Get, HttpMethods.Head], DdiArtifactHandler.DownloadAsync);
        return app;
    }

    /// <summary>The hot path: no database write, cached look-ups, last-seen recorded in memory.</summary>
    internal static async Task<JsonHttpResult<DdiControllerBase>> PollAsync(
        string tenant, string controllerId, HttpRequest request, DdiActionLookup actions,
        LastSeenTracker lastSeen, IOptions<DdiOptions> options, TimeProvider time, DeviceApiMetrics metrics, CancellationToken ct)
    {
        // Authenticated by DdiRequestFilter, which also started the clock (and counts refused polls).
        var (device, started) = request.HttpContext.DdiCaller();
        lastSeen.Record(device.Id, time.GetUtcNow());
        var state = await actions.GetAsync(device.Id, ct);
        var self = BaseUrl(request, options.Value, tenant, controllerId);
        DdiLink? deployment = null, cancel = null, config = null;
        if (state.ServeDeployment)
        {
            if (state.CancelRequested)
            {
                cancel = new DdiLink($"{self}/cancelAction/{state.JobId}");
            }
            else
            {
                deployment = new DdiLink($"{self}/deploymentBase/{state.JobId}?c={state.JobId}");
            }
        }
        if (state.WantsConfigData)
        {
            config = new DdiLink($"{self}/configData");
        }
        var sleep = state.HasAction ? options.Value.ActivePollSleep : options.Value.PollSleep;
        metrics.PollAnswered(started, cancel is not null ? DeviceApiMetrics.Outcomes.Cancel : deployment is not null ? DeviceApiMetrics.Outcomes.Deployment
            : config is not null ? DeviceApiMetrics.Outcomes.ConfigData : DeviceApiMetrics.Outcomes.Idle);
        return TypedResults.Json(new DdiControllerBase(new DdiConfig(new DdiPolling(DdiValues.FormatSleep(sleep))), new DdiControllerLinks(deployment, config, cancel)),
            DdiJsonContext.Default.DdiControllerBase);
    }

    internal static string BaseUrl(HttpRequest request, DdiOptions options, string tenant, string controllerId)
    {
        var root = options.PublicBaseUrl?.TrimEnd('/') ?? $"{request.Scheme}://{request.Host}{request.PathBase}";
        return $"{root}/{Uri.EscapeDataString(tenant)}/controller/v1/{Uri.EscapeDataString(controllerId)}";
    }
}
