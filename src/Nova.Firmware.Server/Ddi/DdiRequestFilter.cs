using Microsoft.Extensions.Options;
using Nova.Firmware.Domain.Common;

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
/// Runs before every DDI handler: the tenant segment must be the configured tenant
/// (<see cref="DdiOptions.Tenant"/>; anything else is a 404, as for a path that does not exist), and
/// the controllerId must be text an inventory could hold (else 400 naming it).
/// </summary>
public sealed class DdiRequestFilter(IOptions<DdiOptions> options) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var route = context.HttpContext.Request.RouteValues;
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
        try
        {
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
