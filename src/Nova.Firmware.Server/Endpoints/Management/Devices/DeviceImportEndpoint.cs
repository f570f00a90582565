using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Nova.Firmware.Domain.Common;
using Nova.Firmware.Domain.Devices;
using Nova.Firmware.Persistence;
using Nova.Firmware.Server.Auth;
using Nova.Firmware.Server.Endpoints.Management;

namespace Nova.Firmware.Server.Endpoints.Management.Devices;

/// <summary>One problem in an imported file: the line it starts on, the column, what is wrong.</summary>
public sealed record ImportError(int Line, string Field, string Message);

public sealed record ImportResult(int Imported);

/// <summary>A parsed row: its line, the device, and the hash of its DDI target token when the file gave one.</summary>
internal sealed record ImportedDevice(int Line, Device Device, string? TokenHash);

/// <summary>
/// <c>POST /api/v1/devices/import</c>: a CSV file of devices, all or nothing. Every row is checked
/// (same rules as the JSON API, plus duplicates within the file and against the inventory) before
/// anything is stored; one bad row means no device is imported. An optional <c>ddiToken</c> column
/// gives each device its DDI target token (stored hashed, as <c>POST /devices/{id}/ddi-token</c>
/// would), so a fleet is provisioned in one request.
/// </summary>
public static class DeviceImportEndpoint
{
    public const int MaxRows = 100_000;

    public static RouteGroupBuilder MapDeviceImportEndpoint(this RouteGroupBuilder devices)
    {
        devices.MapPost("/import", ImportAsync)
            .RequireAuthorization(Policies.Operator)
            // One Accepts call: routing refuses (415) any content type this list does not name.
            .Accepts<string>("text/csv", "text/plain", "multipart/form-data");
        return devices;
    }

    internal static async Task<Results<Ok<ImportResult>, ProblemHttpResult>> ImportAsync(
        HttpRequest request, FirmwareDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        string text;
        if (request.HasFormContentType)
        {
            IFormCollection form;
            try
            {
                form = await request.ReadFormAsync(cancellationToken);
            }
            catch (Exception e) when (e is IOException or InvalidDataException && !cancellationToken.IsCancellationRequested)
            {
                // The body itself is broken: no boundary, cut short, a part over its limits.
                return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Malformed multipart body", detail: e.Message);
            }
            if (form.Files.GetFile("file") is not { } file)
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "No file",
                    detail: "Send the CSV as the multipart part 'file', or as a text/csv body.");
            }
            using var fileReader = new StreamReader(file.OpenReadStream(), Encoding.UTF8);
            text = await fileReader.ReadToEndAsync(cancellationToken);
        }
        else if (request.ContentType is null || request.ContentType.StartsWith("text/", StringComparison.OrdinalIgnoreCase))
        {
            using var bodyReader = new StreamReader(request.Body, Encoding.UTF8);
            text = await bodyReader.ReadToEndAsync(cancellationToken);
        }
        else
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type",
                detail: "Send text/csv, or multipart/form-data with a part named 'file'.");
        }

        var (devices, errors) = Parse(text);
        if (errors.Count == 0)
        {
            errors.AddRange(await FindExistingAsync(db, devices, cancellationToken));
        }
        if (errors.Count > 0)
        {
            return Rejected(errors);
        }

        var now = time.GetUtcNow();
        foreach (var (_, device, tokenHash) in devices)
        {
            device.Id = Guid.CreateVersion7(now);
            device.CreatedAt = device.UpdatedAt = now;
            if (tokenHash is not null)
            {
                db.Add(new DeviceToken { DeviceId = device.Id, TokenHash = tokenHash, CreatedAt = now });
            }
        }
        db.AddRange(devices.Select(d => d.Device));
        try
        {
            // One SaveChanges is one transaction: either every row is stored or none is.
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            var raced = await FindExistingAsync(db, devices, cancellationToken);
            if (raced.Count == 0)
            {
                throw;
            }
            return Rejected(raced);
        }
        return TypedResults.Ok(new ImportResult(devices.Count));
    }

    /// <summary>Parses and validates the whole file; collects every error rather than stopping at the first.</summary>
    internal static (List<ImportedDevice> Devices, List<ImportError> Errors) Parse(string text)
    {
        var devices = new List<ImportedDevice>();
        var errors = new List<ImportError>();
        var firstLineOf = new Dictionary<string, int>(StringComparer.Ordinal);
        var tokenLineOf = new Dictionary<string, int>(StringComparer.Ordinal);
        IReadOnlyList<string>? columns = null;
        foreach (var row in CsvRows.Read(new StringReader(text)))
        {
            var rowErrors = new List<FieldError>();
            if (row.Malformed is not null)
            {
                rowErrors.Add(new FieldError("*", row.Malformed));
            }
            if (columns is null)
            {
                columns = DeviceCsv.ReadHeader(row.Fields, rowErrors);
                errors.AddRange(rowErrors.Select(e => new ImportError(row.Line, e.Field, e.Message)));
                if (rowErrors.Count > 0)
                {
                    // Without a usable header the rows cannot be read meaningfully.
                    return (devices, errors);
                }
                continue;
            }
            if (devices.Count + 1 > MaxRows)
            {
                errors.Add(new ImportError(row.Line, "*", $"A file holds at most {MaxRows} devices; split it."));
                break;
            }
            var request = DeviceCsv.ReadRow(columns, row.Fields, rowErrors);
            var device = DeviceMapping.NewDevice();
            rowErrors.AddRange(DeviceMapping.Apply(request, device).Select(e => e with { Field = DeviceCsv.ColumnFor(e.Field) }));
            if (device.ControllerId.Length > 0)
            {
                if (firstLineOf.TryGetValue(device.ControllerId, out var first))
                {
                    rowErrors.Add(new FieldError("controllerId", $"controllerId '{device.ControllerId}' already appears on line {first}."));
                }
                else
                {
                    firstLineOf[device.ControllerId] = row.Line;
                }
            }
            string? tokenHash = null;
            if (DeviceCsv.DdiToken(columns, row.Fields) is { } token)
            {
                if (!DdiTokenRule.IsValid(token))
                {
                    rowErrors.Add(new FieldError("ddiToken", DdiTokenRule.Rule));
                }
                else
                {
                    // Compared by hash, as stored: the token itself is never kept.
                    tokenHash = ApiKeySecrets.Hash(token);
                    if (!tokenLineOf.TryAdd(tokenHash, row.Line))
                    {
                        rowErrors.Add(new FieldError("ddiToken", $"This ddiToken already appears on line {tokenLineOf[tokenHash]}; every device needs its own."));
                    }
                }
            }
            errors.AddRange(rowErrors.Select(e => new ImportError(row.Line, e.Field, e.Message)));
            devices.Add(new ImportedDevice(row.Line, device, tokenHash));
        }
        if (columns is null)
        {
            errors.Add(new ImportError(1, "*", "The file is empty; the first line must name the columns."));
        }
        return (devices, errors);
    }

    private static async Task<List<ImportError>> FindExistingAsync(FirmwareDbContext db, List<ImportedDevice> devices, CancellationToken cancellationToken)
    {
        var errors = new List<ImportError>();
        foreach (var chunk in devices.Chunk(500))
        {
            var ids = chunk.Select(d => d.Device.ControllerId).ToList();
            var existing = (await db.Set<Device>().AsNoTracking().Where(d => ids.Contains(d.ControllerId)).Select(d => d.ControllerId).ToListAsync(cancellationToken))
                .ToHashSet(StringComparer.Ordinal);
            errors.AddRange(chunk.Where(d => existing.Contains(d.Device.ControllerId))
                .Select(d => new ImportError(d.Line, "controllerId", $"A device with controllerId '{d.Device.ControllerId}' already exists.")));
            var hashes = chunk.Where(d => d.TokenHash is not null).Select(d => d.TokenHash!).ToList();
            if (hashes.Count > 0)
            {
                var taken = (await db.Set<DeviceToken>().AsNoTracking().Where(t => hashes.Contains(t.TokenHash)).Select(t => t.TokenHash).ToListAsync(cancellationToken))
                    .ToHashSet(StringComparer.Ordinal);
                errors.AddRange(chunk.Where(d => d.TokenHash is not null && taken.Contains(d.TokenHash))
                    .Select(d => new ImportError(d.Line, "ddiToken", "Another device already has this ddiToken.")));
            }
        }
        return errors;
    }

    private static ProblemHttpResult Rejected(List<ImportError> errors) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status422UnprocessableEntity,
            title: "Import rejected",
            detail: $"{errors.Select(e => e.Line).Distinct().Count()} line(s) have errors; no device was imported.",
            extensions: new Dictionary<string, object?> { ["errors"] = errors.OrderBy(e => e.Line).ToList() });
}
