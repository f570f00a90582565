using System.Security.Claims;
using Microsoft.Extensions.Options;
using Nova.Firmware.Server.Ddi;

namespace Nova.Firmware.Server.Rma;

/// <summary><c>GET /api/v1/devices/{id}/rma-bundle</c>: the device's evidence for an RMA, as one zip.</summary>
public static class RmaEndpoints
{
    public static RouteGroupBuilder MapRmaEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/devices/{id:guid}/rma-bundle", DownloadAsync)
            .WithTags("Devices")
            .WithSummary("The device's RMA evidence bundle (zip): identity, firmware history, pre-flash logs, live system log, timeline, diagnosis, photos.")
            .Produces(StatusCodes.Status200OK, typeof(Stream), "application/zip")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    internal static async Task<IResult> DownloadAsync(Guid id, RmaBundleLoader loader, IOptions<DdiOptions> ddi, ClaimsPrincipal user, HttpContext context, CancellationToken cancellationToken)
    {
        var content = await loader.LoadAsync(id, user.Identity?.Name ?? "unknown", cancellationToken);
        if (content is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Device not found", detail: $"No device has id {id}.");
        }
        var request = context.Request;
        content = content with { ServerUrl = ddi.Value.PublicBaseUrl ?? $"{request.Scheme}://{request.Host}{request.PathBase}" };
        // A temporary file, not memory: photos can make a bundle large. Removed when the response is done with it.
        var file = new FileStream(Path.Combine(Path.GetTempPath(), $"nova-rma-{Guid.NewGuid():N}.zip"), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None,
            bufferSize: 81920, FileOptions.DeleteOnClose);
        try
        {
            RmaBundleWriter.Write(content, file);
            file.Position = 0;
        }
        catch
        {
            await file.DisposeAsync();
            throw;
        }
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"{RmaBundleWriter.FileName(content)}\"";
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.File(file, "application/zip");
    }
}
