using System.IO.Pipelines;
using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Nova.Firmware.Domain.Packages;
using Nova.Firmware.Persistence.Packages;
using Nova.Firmware.Protocols.Swu;

namespace Nova.Firmware.Server.Packages;

/// <summary>
/// Imports one package from a streamed multipart/form-data body. The file part is never buffered:
/// it flows through <see cref="HashingTeeStream"/> into a temporary file in the blob area (and through
/// the .swu reader when it is a bundle), then the published SHA-256 is compared with the computed one,
/// the row is written and the file is renamed to its content address. Every failure path deletes the
/// temporary file, so a refused or interrupted import leaves nothing behind.
/// </summary>
internal sealed partial class PackageImporter(
    BlobStore blobs,
    PackageStore store,
    PackageSignatures signatures,
    IOptions<PackageCatalogOptions> options,
    TimeProvider time,
    ILogger<PackageImporter> log)
{
    private const int MultipartBufferSize = 64 * 1024;
    private static readonly byte[][] CpioMagics = [Encoding.ASCII.GetBytes("070701"), Encoding.ASCII.GetBytes("070702")];

    private sealed record ReceivedFile(string FileName, PackageFormat Format, long Size, string Sha256, string Sha1, string Md5, SwuBundle? Bundle);

    public async Task<ImportOutcome> ImportAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var request = context.Request;
        var limit = options.Value.MaxImportBytes;
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            // The form fields travel in the same body: leave room for them above the file limit.
            sizeFeature.MaxRequestBodySize = limit + (4 * 1024 * 1024);
        }
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
            || !mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            return new ImportOutcome.Failed(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type",
                "Import a package as multipart/form-data with a 'file' part and the metadata fields.");
        }
        var boundary = HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value;
        if (string.IsNullOrEmpty(boundary))
        {
            return Invalid("file", "The multipart/form-data Content-Type has no boundary.");
        }

        var form = new ImportForm();
        TempBlob? temp = null;
        ReceivedFile? file = null;
        try
        {
            var reader = new MultipartReader(boundary, request.Body, MultipartBufferSize);
            while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                    || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase))
                {
                    return Invalid("file", "Every part needs a 'Content-Disposition: form-data; name=...' header.");
                }
                var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "";
                if (name == ImportForm.FileField)
                {
                    if (file is not null)
                    {
                        return Invalid("file", "Send exactly one 'file' part.");
                    }
                    var fileName = SafeFileName(HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value);
                    if (fileName is null)
                    {
                        return Invalid("file", "The 'file' part needs a file name (Content-Disposition filename) without control characters, at most 255 characters.");
                    }
                    // Fail fast on fields that came before the file, before gigabytes are read.
                    var early = form.Validate(complete: false, isSwu: true, out _);
                    if (early.Count > 0)
                    {
                        return new ImportOutcome.Invalid(early);
                    }
                    temp = blobs.CreateTemp();
                    file = await ReceiveFileAsync(section.Body, fileName, temp, limit, cancellationToken);
                }
                else if (ImportForm.IsKnownField(name))
                {
                    var value = await ReadFieldAsync(section.Body, cancellationToken);
                    if (value is null)
                    {
                        return Invalid(name, $"The {name} field is longer than {ImportForm.MaxFieldLength} bytes.");
                    }
                    if (!form.TrySet(name, value))
                    {
                        return Invalid(name, $"The {name} field was sent twice.");
                    }
                }
                else
                {
                    return Invalid(name.Length == 0 ? "(unnamed)" : name,
                        $"Unknown field '{name}'. Expected: file, vendor, version, models, hardwareRevisions, soc, kind, sha256, releaseNotes, signature.");
                }
            }

            if (file is null)
            {
                var errors = form.Validate(complete: true, isSwu: true, out _);
                errors["file"] = ["The package file is required (a 'file' part)."];
                return new ImportOutcome.Invalid(errors);
            }
            return await FinishAsync(form, file, temp!, context.User, cancellationToken);
        }
        catch (SwuFormatException e)
        {
            LogRejected(log, "invalid .swu bundle", e.Message);
            return new ImportOutcome.Failed(StatusCodes.Status422UnprocessableEntity, "Invalid SWUpdate bundle", e.Message,
                new Dictionary<string, object?> { ["reason"] = e.Message });
        }
        catch (PackageTooLargeException e)
        {
            return TooLarge(e.Limit);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TooLarge(limit);
        }
        catch (PackageStorageException e)
        {
            LogStorageFailed(log, e.Message);
            return new ImportOutcome.Failed(StatusCodes.Status507InsufficientStorage, "Could not store the package", e.Message);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            LogAborted(log);
            return new ImportOutcome.Aborted();
        }
        catch (IOException e)
        {
            // The body ended early or the client went away: a cut-short upload is never stored.
            LogAborted(log);
            return context.RequestAborted.IsCancellationRequested
                ? new ImportOutcome.Aborted()
                : new ImportOutcome.Failed(StatusCodes.Status400BadRequest, "Incomplete upload",
                    $"The request body ended before the multipart form was complete ({e.Message}). Nothing was stored.");
        }
        finally
        {
            temp?.Dispose();
        }
    }

    private async Task<ReceivedFile> ReceiveFileAsync(Stream body, string fileName, TempBlob temp, long limit, CancellationToken cancellationToken)
    {
        using var direct = DirectWriter.TryOpen(temp.Path);
        using var tee = new HashingTeeStream(body, temp.Stream, limit, new WriteBack(temp.Stream.SafeFileHandle), direct);
        var head = new byte[6];
        var headLength = await tee.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken);
        var isSwu = fileName.EndsWith(".swu", StringComparison.OrdinalIgnoreCase)
            || (headLength == head.Length && CpioMagics.Any(m => m.AsSpan().SequenceEqual(head)));
        SwuBundle? bundle = null;
        if (isSwu)
        {
            bundle = await DrainReadingBundleAsync(tee, head.AsMemory(0, headLength), cancellationToken);
        }
        else
        {
            await tee.DrainAsync(cancellationToken);
        }
        try
        {
            if (direct is not null)
            {
                await direct.CompleteAsync();
            }
            await temp.Stream.FlushAsync(cancellationToken);
            temp.Stream.Flush(flushToDisk: true);
        }
        catch (IOException e)
        {
            throw new PackageStorageException(e);
        }
        var (sha256, sha1, md5) = tee.Digests();
        return new ReceivedFile(fileName, isSwu ? PackageFormat.Swu : PackageFormat.Raw, tee.BytesRead, sha256, sha1, md5, bundle);
    }

    /// <summary>
    /// Drains the upload while the .swu reader checks the bundle (its sw-description, and each
    /// image against the SHA-256 it lists) from a copy of the drained bytes, on a core of its own.
    /// A bundle found bad stops the upload at once, as it would if read inline; a failed upload
    /// (too large, a full disk, cut short) is the error that counts, and the reader is awaited
    /// either way, so nothing is left reading.
    /// </summary>
    private static async Task<SwuBundle> DrainReadingBundleAsync(HashingTeeStream tee, ReadOnlyMemory<byte> head, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        // Room for two of the drain's pieces, so the copy does not wait for the reader at every piece.
        var copy = new Pipe(new PipeOptions(pauseWriterThreshold: 2 * HashingTeeStream.DrainBufferSize,
            resumeWriterThreshold: HashingTeeStream.DrainBufferSize, minimumSegmentSize: 256 * 1024, useSynchronizationContext: false));
        var reading = Task.Run(async () =>
        {
            try
            {
                return await SwuBundleReader.ReadAsync(new PrefixedStream(head, copy.Reader.AsStream()), stop.Token);
            }
            catch
            {
                // A bad bundle: nothing more of the upload is worth receiving.
                await stop.CancelAsync();
                throw;
            }
            finally
            {
                await copy.Reader.CompleteAsync();
            }
        }, CancellationToken.None);
        try
        {
            await tee.DrainAsync(stop.Token, copy.Writer);
        }
        catch (Exception e)
        {
            // Asked before the copy is completed, while the reader cannot yet have seen this failure.
            var readerStopped = stop.IsCancellationRequested && !cancellationToken.IsCancellationRequested;
            await copy.Writer.CompleteAsync(e);
            if (readerStopped)
            {
                // The reader found the bundle bad and stopped the drain: its error is the answer,
                // whatever the drain threw on its way out.
                return await reading;
            }
            await reading.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            throw;
        }
        await copy.Writer.CompleteAsync();
        return await reading;
    }

    private async Task<ImportOutcome> FinishAsync(ImportForm form, ReceivedFile file, TempBlob temp, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var errors = form.Validate(complete: true, isSwu: file.Bundle is not null, out var metadata);
        if (errors.Count > 0 || metadata is null)
        {
            return new ImportOutcome.Invalid(errors);
        }
        if (file.Size == 0)
        {
            return Invalid("file", "The package file is empty.");
        }
        if (!string.Equals(metadata.PublishedSha256, file.Sha256, StringComparison.Ordinal))
        {
            LogRejected(log, "published SHA-256 mismatch", $"published {metadata.PublishedSha256}, computed {file.Sha256}");
            return new ImportOutcome.Failed(StatusCodes.Status422UnprocessableEntity, "Checksum does not match",
                $"The vendor's published SHA-256 is {metadata.PublishedSha256} but the uploaded file's SHA-256 is {file.Sha256}. The file was not stored.",
                new Dictionary<string, object?> { ["publishedSha256"] = metadata.PublishedSha256, ["computedSha256"] = file.Sha256 });
        }

        var version = metadata.Version;
        var revisions = metadata.HardwareRevisions;
        if (file.Bundle is { } bundle)
        {
            var problem = ReconcileWithBundle(bundle.Description, ref version, ref revisions);
            if (problem is not null)
            {
                LogRejected(log, "form and sw-description disagree", problem);
                return new ImportOutcome.Failed(StatusCodes.Status422UnprocessableEntity, "Invalid SWUpdate bundle", problem,
                    new Dictionary<string, object?> { ["reason"] = problem });
            }
        }

        var signature = signatures.Check(file.Bundle, metadata.Signature);
        if (signature.Refusal is { } refusal)
        {
            LogRejected(log, "signature refused", refusal);
            return new ImportOutcome.Failed(StatusCodes.Status422UnprocessableEntity, "Signature refused",
                $"{refusal} The file was not stored.", new Dictionary<string, object?> { ["reason"] = refusal });
        }

        var package = new FirmwarePackage
        {
            Id = Guid.NewGuid(),
            Vendor = metadata.Vendor,
            Version = version!,
            Models = [.. metadata.Models],
            HardwareRevisions = [.. revisions!],
            Soc = metadata.Soc,
            Kind = metadata.Kind,
            Format = file.Format,
            FileName = file.FileName,
            ReleaseNotes = metadata.ReleaseNotes,
            Sha256 = file.Sha256,
            Sha1 = file.Sha1,
            Md5 = file.Md5,
            Size = file.Size,
            Signature = metadata.Signature,
            SignatureCheck = signature.Check,
            SignedBy = signature.SignedBy,
            ImportedAt = time.GetUtcNow(),
            ImportedBy = user.Identity?.Name ?? "unknown",
        };
        // Row first, then the rename: a concurrent delete of another package with the same content
        // either sees this row (and keeps the blob) or removed the blob before the rename restores it.
        await store.AddAsync(package, CancellationToken.None);
        try
        {
            blobs.Commit(temp, package.Sha256);
        }
        catch (IOException e)
        {
            await store.DeleteAsync(package.Id, CancellationToken.None);
            throw new PackageStorageException(e);
        }
        LogImported(log, package.Id, package.Sha256, package.Size, package.Format.ToString());
        return new ImportOutcome.Imported(package);
    }

    /// <summary>
    /// The bundle is the authority on its version and hardware compatibility: a version given in the
    /// form must equal it (an omitted one is taken from it), and revisions given in the form must be
    /// among the bundle's hardware-compatibility (omitted ones are taken from it).
    /// </summary>
    /// <summary>The catalog's column sizes and list bound, as for the form's own fields.</summary>
    private const int MaxBundleNameLength = 100;
    private const int MaxBundleRevisions = 200;

    private static string? ReconcileWithBundle(SwDescription description, ref string? version, ref IReadOnlyList<string>? revisions)
    {
        if (description.Version is { } bundleVersion)
        {
            if (version is not null && !string.Equals(version, bundleVersion, StringComparison.Ordinal))
            {
                return $"The version field says '{version}' but the bundle's sw-description says '{bundleVersion}'.";
            }
            version = bundleVersion;
        }
        else if (version is null)
        {
            return "The bundle's sw-description has no version and the import gives none: send the version field.";
        }

        // What the bundle says is stored like what an operator types: the same lengths, no control characters.
        if (version is not null && Domain.Common.TextRules.LineProblem(version, MaxBundleNameLength) is { } versionProblem)
        {
            return $"The bundle's sw-description version is not acceptable: {versionProblem}";
        }
        var declared = description.HardwareCompatibility;
        if (declared.Count > MaxBundleRevisions)
        {
            return $"The bundle's sw-description lists {declared.Count} hardware revisions; at most {MaxBundleRevisions} are accepted.";
        }
        if (declared.Select(r => Domain.Common.TextRules.LineProblem(r, MaxBundleNameLength)).FirstOrDefault(p => p is not null) is { } revisionProblem)
        {
            return $"A hardware revision in the bundle's sw-description is not acceptable: {revisionProblem}";
        }
        if (revisions is null)
        {
            if (declared.Count == 0)
            {
                return "The bundle's sw-description declares no hardware-compatibility and the import gives no hardwareRevisions.";
            }
            revisions = declared;
        }
        else if (declared.Count > 0)
        {
            var outside = revisions.Where(r => !declared.Contains(r, StringComparer.Ordinal)).ToList();
            if (outside.Count > 0)
            {
                return $"hardwareRevisions lists {string.Join(", ", outside.Select(r => $"'{r}'"))}, which the bundle's hardware-compatibility ({string.Join(", ", declared.Select(r => $"'{r}'"))}) does not include.";
            }
        }
        return null;
    }

    /// <summary>Reads a small text field; null when it is longer than allowed.</summary>
    private static async Task<string?> ReadFieldAsync(Stream body, CancellationToken cancellationToken)
    {
        var buffer = new byte[ImportForm.MaxFieldLength + 1];
        var read = await body.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
        if (read > ImportForm.MaxFieldLength)
        {
            return null;
        }
        return Encoding.UTF8.GetString(buffer, 0, read);
    }

    /// <summary>Only the last path segment of a client's file name, and nothing a file system dislikes.</summary>
    private static string? SafeFileName(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }
        var name = raw.Replace('\\', '/').Split('/').Last().Trim();
        return name.Length is 0 or > 255 || name is "." or ".." || name.Any(char.IsControl) ? null : name;
    }

    private static ImportOutcome.Invalid Invalid(string field, string message) =>
        new(new Dictionary<string, string[]>(StringComparer.Ordinal) { [field] = [message] });

    private static ImportOutcome.Failed TooLarge(long limit) =>
        new(StatusCodes.Status413PayloadTooLarge, "Package too large",
            $"The package is larger than the import limit of {limit} bytes (Nova:Packages:MaxImportBytes). Nothing was stored.");

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Imported package {PackageId} ({Sha256}, {Size} bytes, {Format})")]
    private static partial void LogImported(ILogger logger, Guid packageId, string sha256, long size, string format);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Refused a package import: {Reason}: {Detail}")]
    private static partial void LogRejected(ILogger logger, string reason, string detail);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Information, Message = "A package upload ended early; nothing was stored")]
    private static partial void LogAborted(ILogger logger);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Error, Message = "Could not store an imported package: {Detail}")]
    private static partial void LogStorageFailed(ILogger logger, string detail);
}
