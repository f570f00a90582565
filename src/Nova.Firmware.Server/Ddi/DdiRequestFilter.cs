using System.Diagnostics;
using Microsoft.Extensions.Options;
using Nova.Firmware.Domain.Common;
using Nova.Firmware.Server.Telemetry;

namespace Nova.Firmware.Server.Ddi;

/// <summary>What a controllerId in a DDI path may be.</summary>
public static class DdiControllerIds
{
    public const int MaxLength = 64;
    public const string PlainIdentifierRule = "A device registers itself only with a plain identifier: 1 to 64 letters, digits, '.', '_', '-' or ':', starting with a letter or digit.";

    /// <summary>Ids an auto-registered device may take: nothing that could be mistaken for a path, markup or another device.</summary>
    public static bool IsPlainIdentifier(string controllerId) =>
        controllerId.Length is > 0 and <= MaxLength && char.IsAsciiLetterOrDigit(controllerId[0])
        && controllerId.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or ':');
}

/// <summary>A DDI request refused for a named field; answered 400 by <see cref="DdiRequestFilter"/>.</summary>
public sealed class DdiRequestRefusedException(string field, string message) : Exception(message)
{
    public string Field { get; } = field;
}

/// <summary>
/// Runs before every DDI handler, once: the tenant segment must be the configured tenant
/// (<see cref="DdiOptions.Tenant"/>; anything else is a 404, as for a path that does not exist), the
/// controllerId must be text an inventory could hold (else 400 naming it), and the request must
/// authenticate as that device (<see cref="DdiDeviceAuthenticator"/>; else 401). The device goes to
/// the handler through <see cref="DdiCallerExtensions.DdiCaller"/>, so no handler authenticates itself.
/// </summary>
public sealed class DdiRequestFilter(IOptions<DdiOptions> options, DdiDeviceAuthenticator authenticator, DeviceApiMetrics metrics) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var route = http.Request.RouteValues;
        var tenant = route["tenant"] as string ?? "";
        if (!string.Equals(tenant, options.Value.Tenant, StringComparison.OrdinalIgnoreCase))
        {
            return TypedResults.Problem(title: "Unknown tenant", detail: $"This server serves the DDI tenant configured in {DdiOptions.Section}:Tenant only.",
                statusCode: StatusCodes.Status404NotFound);
        }
        var controllerId = route["controllerId"] as string ?? "";
        if (controllerId.Length == 0 || TextRules.LineProblem(controllerId, 200) is not null)
        {
            return Refused("controllerId", "A controllerId has 1 to 200 characters and no control characters.");
        }
        // A poll's measured time includes its authentication (cold token look-ups dominate it).
        var started = Stopwatch.GetTimestamp();
        try
        {
            // Registering an unknown device under a gateway token may refuse its controllerId (400).
            var device = await authenticator.AuthenticateAsync(http.Request, controllerId, http.RequestAborted);
            if (device is null)
            {
                if (http.GetEndpoint()?.Metadata.GetMetadata<DdiPollEndpoint>() is not null)
                {
                    metrics.PollAnswered(started, DeviceApiMetrics.Outcomes.Unauthorized);
                }
                return TypedResults.Unauthorized();
            }
            http.SetDdiCaller(new DdiCaller(device, started));
            return await next(context);
        }
        catch (DdiRequestRefusedException e)
        {
            return Refused(e.Field, e.Message);
        }
    }

    private static IResult Refused(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, title: "DDI request refused");
}

/// <summary>Endpoint metadata on the poll: its refusals count in the poll metrics too.</summary>
public sealed class DdiPollEndpoint
{
    public static readonly DdiPollEndpoint Marker = new();

    private DdiPollEndpoint()
    {
    }
}
