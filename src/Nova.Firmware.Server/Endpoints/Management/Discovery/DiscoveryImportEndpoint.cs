using Microsoft.AspNetCore.Http.HttpResults;
using Nova.Firmware.Persistence;

namespace Nova.Firmware.Server.Endpoints.Management.Discovery;

/// <summary>
/// <c>POST /api/v1/discovery/onvif/import</c>: the cameras a probe listed, into the inventory in
/// one call (see <see cref="CameraImporter"/> for the rules).
/// </summary>
public static class DiscoveryImportEndpoint
{
    public static RouteGroupBuilder MapDiscoveryImportEndpoint(this RouteGroupBuilder onvif)
    {
        onvif.MapPost("/import", ImportAsync);
        return onvif;
    }

    internal static Task<Results<Ok<OnvifImportResponse>, ValidationProblem, ProblemHttpResult>> ImportAsync(
        OnvifImportRequest? request, CameraImporter importer, FirmwareDbContext db, CancellationToken cancellationToken) =>
        importer.ImportAsync(request, db, cancellationToken);
}
