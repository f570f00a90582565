using Nova.Firmware.Persistence;
using Nova.Firmware.Domain.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using Nova.Firmware.Domain.Common;
using Nova.Firmware.Domain.Packages;
using Nova.Firmware.Persistence.Packages;
using Nova.Firmware.Server.Auth;
using Nova.Firmware.Server.Endpoints.Management;
using Nova.Firmware.Server.Packages;

namespace Nova.Firmware.Server.Endpoints;

/// <summary>The firmware catalog: import, list, inspect, download, delete, and find what fits a device.</summary>
public static partial class PackageEndpoints
{

    public static RouteGroupBuilder MapPackageEndpoints(this RouteGroupBuilder api)
    {
        var packages = api.MapGroup("/packages").WithTags("Packages");

        // The body is read as a stream by the importer: no IFormFile, no form binding, no buffering.
        packages.MapPost("/", ImportAsync)
            .RequireAuthorization(Policies.Operator)
            .Accepts<IFormFile>("multipart/form-data")
            .DisableAntiforgery()
            .WithSummary("Import a package (streamed multipart/form-data: metadata fields first, then 'file').");
        packages.MapGet("/", ListAsync).WithSummary("List packages, filtered by vendor, model and kind, paged.");
        packages.MapGet("/compatible", CompatibleAsync).WithSummary("Packages that fit a device identity, best first, with the reasons others do not.");
        packages.MapGet("/{id:guid}", GetAsync).WithSummary("One package's metadata.");
        packages.MapMethods("/{id:guid}/content", [HttpMethods.Get, HttpMethods.Head], DownloadAsync)
            .WithSummary("The package file, with HTTP Range, ETag (its SHA-256) and If-None-Match / If-Range.");
        packages.MapDelete("/{id:guid}", DeleteAsync)
            .RequireAuthorization(Policies.Admin)
            .WithSummary("Delete a package; its file is removed when no other package has the same content.");
        return api;
    }

    internal static async Task<Results<Created<PackageResponse>, ValidationProblem, ProblemHttpResult, EmptyHttpResult>> ImportAsync(
        HttpContext context, PackageImporter importer)
    {
        var outcome = await importer.ImportAsync(context, context.RequestAborted);
        return outcome switch
        {
            ImportOutcome.Imported imported => TypedResults.Created($"/api/v1/packages/{imported.Package.Id}", PackageResponse.From(imported.Package)),
            ImportOutcome.Invalid invalid => TypedResults.ValidationProblem(invalid.Errors, title: "The import request is invalid"),
            ImportOutcome.Failed failed => TypedResults.Problem(failed.Detail, statusCode: failed.StatusCode, title: failed.Title, extensions: failed.Extensions),
            ImportOutcome.Aborted => TypedResults.Empty,
            _ => throw new InvalidOperationException($"Unexpected import outcome {outcome}."),
        };
    }

    internal static async Task<Results<Ok<PackageListResponse>, ValidationProblem>> ListAsync(
        PackageStore store, string? vendor, string? model, string? kind, int? page, int? pageSize, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var parsedKind = ParseKind(kind, errors);
        var paging = Paging.Check(page, pageSize, out var number, out var size);
        foreach (var (field, messages) in paging)
        {
            errors[field] = messages;
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        var result = await store.ListAsync(new PackageQuery(vendor, model, parsedKind, number, size), cancellationToken);
        return TypedResults.Ok(new PackageListResponse(result.Items.Select(PackageResponse.From).ToList(), result.Page, result.PageSize, result.Total));
    }

    internal static async Task<Results<Ok<CompatiblePackagesResponse>, ValidationProblem>> CompatibleAsync(
        PackageStore store, string? vendor, string? model, string? hardwareRevision, string? soc, string? kind, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        Require(vendor, "vendor");
        Require(model, "model");
        Require(hardwareRevision, "hardwareRevision");
        Require(soc, "soc");
        var parsedKind = ParseKind(kind, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        var device = new DeviceIdentity(vendor!.Trim(), model!.Trim(), hardwareRevision!.Trim(), soc!.Trim());
        var candidates = await store.CandidatesAsync(device.Vendor, parsedKind, cancellationToken);

        var recommended = new Dictionary<string, PackageResponse>(StringComparer.Ordinal);
        var compatible = new List<PackageResponse>();
        foreach (var packageKind in Enum.GetValues<PackageKind>())
        {
            var fitting = PackageCompatibility.AllMatching(candidates, device, packageKind);
            if (fitting.Count > 0)
            {
                recommended[packageKind.ToWire()] = PackageResponse.From(fitting[0]);
                compatible.AddRange(fitting.Select(PackageResponse.From));
            }
        }
        var rejected = candidates
            .Select(p => (Package: p, Result: PackageCompatibility.Check(p, device)))
            .Where(c => !c.Result.Fits)
            .OrderBy(c => c.Package.Version, PackageVersionComparer.Instance)
            .Select(c => new CompatibilityCheckResponse(PackageResponse.From(c.Package), false,
                c.Result.Mismatches.Select(m => new MismatchResponse(m.Field.ToWire(), m.Reason)).ToList()))
            .ToList();
        return TypedResults.Ok(new CompatiblePackagesResponse(device, recommended, compatible, rejected));

        void Require(string? value, string name)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                errors[name] = [$"{name} is required."];
            }
        }
    }

    internal static async Task<Results<Ok<PackageResponse>, ProblemHttpResult>> GetAsync(Guid id, PackageStore store, CancellationToken cancellationToken)
    {
        var package = await store.FindAsync(id, cancellationToken);
        return package is null ? NotFound(id) : TypedResults.Ok(PackageResponse.From(package));
    }

    internal static async Task<Results<PhysicalFileHttpResult, ProblemHttpResult>> DownloadAsync(
        Guid id, PackageStore store, BlobStore blobs, HttpContext context, Telemetry.DeviceApiMetrics metrics, CancellationToken cancellationToken)
    {
        var package = await store.FindAsync(id, cancellationToken);
        if (package is null)
        {
            return NotFound(id);
        }
        var path = blobs.PathFor(package.Sha256);
        if (!File.Exists(path))
        {
            return TypedResults.Problem($"The file of package {id} ({package.Sha256}) is missing from the blob store.",
                statusCode: StatusCodes.Status404NotFound, title: "Package content missing");
        }
        Telemetry.ArtifactResponses.CountWhenSent(context, metrics, "api");
        BlobSendFile.Use(context);
        // Content never changes under a hash, so the SHA-256 is a strong ETag; the file result
        // evaluates Range, If-Range and If-None-Match against it.
        return TypedResults.PhysicalFile(path, "application/octet-stream", package.FileName,
            lastModified: package.ImportedAt, entityTag: new EntityTagHeaderValue($"\"{package.Sha256}\""), enableRangeProcessing: true);
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        Guid id, PackageStore store, BlobStore blobs, FirmwareDbContext db, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        // Device jobs point at their package: the record of what was flashed stays whole.
        if (await db.Set<DeviceJob>().AnyAsync(j => j.PackageId == id, cancellationToken))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Package in use",
                detail: $"Package {id} is the target of device jobs; it is kept with their history and cannot be deleted.");
        }
        var package = await store.DeleteAsync(id, cancellationToken);
        if (package is null)
        {
            return NotFound(id);
        }
        var log = loggers.CreateLogger(typeof(PackageEndpoints));
        var blobRemoved = false;
        if (!await store.IsContentReferencedAsync(package.Sha256, CancellationToken.None))
        {
            blobs.Delete(package.Sha256);
            blobRemoved = true;
        }
        LogDeleted(log, id, package.Sha256, blobRemoved);
        return TypedResults.NoContent();
    }

    private static PackageKind? ParseKind(string? kind, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(kind))
        {
            return null;
        }
        if (WireNames.TryParse<PackageKind>(kind, out var parsed))
        {
            return parsed;
        }
        errors["kind"] = [$"'{kind}' is not a package kind; use one of: {string.Join(", ", WireNames.Names<PackageKind>())}."];
        return null;
    }

    private static ProblemHttpResult NotFound(Guid id) =>
        TypedResults.Problem($"There is no package {id}.", statusCode: StatusCodes.Status404NotFound, title: "Package not found");

    [LoggerMessage(EventId = 3020, Level = LogLevel.Information, Message = "Deleted package {PackageId} ({Sha256}); blob removed: {BlobRemoved}")]
    private static partial void LogDeleted(ILogger logger, Guid packageId, string sha256, bool blobRemoved);
}
