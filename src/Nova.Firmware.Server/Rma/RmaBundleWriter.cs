using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Nova.Firmware.Domain.Common;
using Nova.Firmware.Domain.Jobs;
using Nova.Firmware.Domain.Timeline;
using Nova.Firmware.Server.Articles;
using Nova.Firmware.Server.Endpoints.Management;
using Nova.Firmware.Server.Endpoints.Management.Devices;

namespace Nova.Firmware.Server.Rma;

/// <summary>
/// Writes an RMA evidence bundle as a zip: one clearly named file per kind of evidence, plus
/// <c>README.txt</c> for people and <c>manifest.json</c> for programs, both listing every file with
/// its SHA-256. Pure: the same content gives the same files.
/// </summary>
public static class RmaBundleWriter
{
    public const string ReadmePath = "README.txt";
    public const string ManifestPath = "manifest.json";
    public const string Format = "nova-firmware-rma-bundle";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        // A file for people to read, never embedded in HTML: keep quotes and non-ASCII as they are.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly TimelineEntryKind[] EvidenceKinds =
        [TimelineEntryKind.Feedback, TimelineEntryKind.Power, TimelineEntryKind.Transfer, TimelineEntryKind.Telemetry];

    private sealed record Part(string Path, string Description, byte[] Bytes, bool Compress = true);

    /// <summary>One file of the bundle as the manifest lists it.</summary>
    public sealed record ManifestFile(string Path, string Description, long Bytes, string Sha256);

    /// <summary>"rma-gw-0042-20261204T101500Z.zip": the device and the moment, safe as a file name anywhere.</summary>
    public static string FileName(RmaBundleContent content) =>
        $"rma-{SafeName(content.Device.ControllerId, "device")}-{content.GeneratedAt.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)}.zip";

    public static void Write(RmaBundleContent content, Stream output)
    {
        var parts = Parts(content);
        var listed = parts.Select(p => new ManifestFile(p.Path, p.Description, p.Bytes.Length, Convert.ToHexStringLower(SHA256.HashData(p.Bytes)))).ToList();
        using var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);
        Add(zip, new Part(ReadmePath, "", Readme(content, listed)), content.GeneratedAt);
        Add(zip, new Part(ManifestPath, "", Manifest(content, listed)), content.GeneratedAt);
        foreach (var part in parts)
        {
            Add(zip, part, content.GeneratedAt);
        }
    }

    private static List<Part> Parts(RmaBundleContent content)
    {
        var parts = new List<Part>
        {
            new("identity.json", "Device identity, hardware revision, SoC, firmware slots, health, site, power feed and the device's last report", Identity(content)),
            new("firmware-history.csv", "Every device job of this device, oldest first: package, previous and target version, final status, cause, reason", History(content)),
        };
        var snapshots = content.Jobs.Where(j => j.Job.PreFlashSnapshot is not null).OrderByDescending(j => j.Job.Id).ToList();
        parts.Add(new("pre-flash-log.txt",
            snapshots.Count == 0 ? "No pre-flash log: no device job of this device got as far as sending the image" : $"Pre-flash log of the latest device job that captured one (job {snapshots[0].Job.Id})",
            snapshots.Count == 0 ? Utf8("No pre-flash log was captured: no device job of this device got as far as sending the image.\n") : PreFlash(snapshots[0])));
        parts.AddRange(snapshots.Skip(1).Select(j => new Part($"pre-flash/{j.Job.Id}.txt", $"Pre-flash log of device job {j.Job.Id}", PreFlash(j))));
        parts.Add(new("system-log.txt",
            content.SystemLog.Outcome == Domain.Drivers.DriverOutcome.Done ? "The device's system log, read from it when the bundle was made" : "Why the device's system log could not be read when the bundle was made",
            SystemLog(content)));
        parts.Add(new("timeline.json", "The device's whole timeline, oldest first: transitions, checks, commands, feedback, telemetry, transfers, power events", TimelineJson(content)));
        parts.Add(new("timeline.txt", "The same timeline, one line per entry", TimelineText(content)));
        parts.Add(new("diagnosis.json", "The latest failed device job: its cause, the reason and evidence, and the article that explains it", Diagnosis(content)));
        for (var i = 0; i < content.Photos.Count; i++)
        {
            var photo = content.Photos[i];
            var path = $"photos/{i + 1:00}-{SafeName(PhotoName(photo.FileName), "photo" + Extension(photo.ContentType))}";
            parts.Add(new(path, $"Photo ({photo.ContentType}){(string.IsNullOrWhiteSpace(photo.Caption) ? "" : ": " + OneLine(photo.Caption))}", photo.Bytes,
                Compress: !photo.ContentType.StartsWith("image/", StringComparison.OrdinalIgnoreCase)));
        }
        return parts;
    }

    private static void Add(ZipArchive zip, Part part, DateTimeOffset at)
    {
        var entry = zip.CreateEntry(part.Path, part.Compress ? CompressionLevel.Optimal : CompressionLevel.NoCompression);
        entry.LastWriteTime = at;
        using var stream = entry.Open();
        stream.Write(part.Bytes);
    }

    private static byte[] Identity(RmaBundleContent c) => JsonSerializer.SerializeToUtf8Bytes(new
    {
        device = c.Device.ToResponse(),
        lastReport = c.Report is not { } r ? null : new
        {
            r.ReportedAt,
            r.BootMode,
            r.Led,
            r.ResetReason,
            r.LastPowerEventAt,
            attributes = TimelineEntryResponse.ParseData(r.AttributesJson),
        },
    }, Json);

    private static byte[] History(RmaBundleContent c)
    {
        var csv = new StringBuilder("jobId,createdAt,updatedAt,createdBy,packageId,packageVendor,packageVersion,packageFileName,previousVersion,targetVersion,status,cause,blockingCheck,statusReason\n");
        foreach (var (job, vendor, version, fileName) in c.Jobs.OrderBy(j => j.Job.Id))
        {
            csv.AppendJoin(',', new[]
            {
                job.Id.ToString(CultureInfo.InvariantCulture), Utc(job.CreatedAt), Utc(job.UpdatedAt), job.CreatedBy, job.PackageId.ToString(), vendor, version, fileName,
                job.PreviousVersion, job.TargetVersion, job.Status.ToWire(), job.Cause?.ToWire(), job.BlockingCheck?.ToWire(), job.StatusReason,
            }.Select(Csv)).Append('\n');
        }
        return Utf8(csv.ToString());
    }

    private static byte[] PreFlash(RmaJob j)
    {
        var text = new StringBuilder();
        text.Append($"Pre-flash log of device job {j.Job.Id}: {j.Job.PreviousVersion ?? "unknown version"} -> {j.Job.TargetVersion}");
        text.Append(j.PackageVendor is null ? "\n" : $" ({j.PackageVendor} {j.PackageVersion}, {j.PackageFileName})\n");
        text.Append($"Job created {Utc(j.Job.CreatedAt)} by {j.Job.CreatedBy}; final status {j.Job.Status.ToWire()}.\n\n");
        string? log = null;
        string? unavailable = null;
        try
        {
            var snapshot = JsonSerializer.Deserialize<JsonElement>(j.Job.PreFlashSnapshot!);
            text.Append("Captured before anything was written:\n");
            foreach (var (key, value) in Flatten(snapshot, ""))
            {
                if (key == "log")
                {
                    log = value;
                }
                else if (key == "logUnavailable")
                {
                    unavailable = value;
                }
                else
                {
                    text.Append($"  {key}: {value ?? "-"}\n");
                }
            }
        }
        catch (JsonException)
        {
            text.Append("The snapshot as stored:\n").Append(j.Job.PreFlashSnapshot).Append('\n');
        }
        text.Append("\n--- Device log ---\n");
        text.Append(log ?? $"Not captured: {unavailable ?? "the snapshot holds no log."}");
        return Utf8(text.Append('\n').ToString());
    }

    private static byte[] SystemLog(RmaBundleContent c)
    {
        var log = c.SystemLog;
        var text = new StringBuilder($"System log of {c.Device.ControllerId}, asked of the device at {Utc(log.AskedAt)} through its {c.Device.Protocol.ToWire()} driver.\n");
        if (log.Outcome == Domain.Drivers.DriverOutcome.Done)
        {
            text.Append("\n--- Device log ---\n").Append(log.Text);
        }
        else
        {
            text.Append($"The log could not be read ({log.Outcome.ToWire()}): {log.Reason}");
        }
        return Utf8(text.Append('\n').ToString());
    }

    private static byte[] TimelineJson(RmaBundleContent c) =>
        JsonSerializer.SerializeToUtf8Bytes(c.Timeline.Select(TimelineItem), Json);

    private static object TimelineItem(TimelineEntry e) =>
        new { e.Id, At = e.At, e.JobId, Kind = e.Kind.ToWire(), e.Message, Data = TimelineEntryResponse.ParseData(e.Data) };

    private static byte[] TimelineText(RmaBundleContent c)
    {
        var text = new StringBuilder();
        foreach (var e in c.Timeline)
        {
            var job = e.JobId is { } id ? $"job {id}" : "";
            text.Append($"{Utc(e.At)}  {e.Kind.ToWire(),-10}  {job,-10}  {e.Message.ReplaceLineEndings("\n    ")}\n");
        }
        return Utf8(text.Length == 0 ? "The device's timeline is empty.\n" : text.ToString());
    }

    private static byte[] Diagnosis(RmaBundleContent c)
    {
        var latest = c.Jobs.MaxBy(j => j.Job.Id);
        var failed = LatestFailed(c);
        return JsonSerializer.SerializeToUtf8Bytes(new
        {
            deviceId = c.Device.Id,
            controllerId = c.Device.ControllerId,
            latestJob = latest is null ? null : new { latest.Job.Id, Status = latest.Job.Status.ToWire() },
            failedJob = failed is null ? null : new
            {
                failed.Job.Id,
                failed.Job.CreatedAt,
                FailedAt = failed.Job.UpdatedAt,
                failed.PackageVendor,
                failed.PackageVersion,
                failed.Job.PreviousVersion,
                failed.Job.TargetVersion,
                Cause = failed.Job.Cause?.ToWire(),
                failed.Job.StatusReason,
                ArticleUrl = ArticleUrl(c, failed.Job),
                Evidence = c.Timeline.Where(e => e.JobId == failed.Job.Id && EvidenceKinds.Contains(e.Kind)).Select(TimelineItem),
            },
            note = failed is null ? "No device job of this device has failed." : null,
        }, Json);
    }

    private static byte[] Manifest(RmaBundleContent c, IReadOnlyList<ManifestFile> files) => JsonSerializer.SerializeToUtf8Bytes(new
    {
        format = Format,
        formatVersion = 1,
        generatedAt = c.GeneratedAt,
        generatedBy = c.GeneratedBy,
        device = new { c.Device.Id, c.Device.ControllerId, c.Device.Vendor, c.Device.Model, c.Device.HardwareRevision, c.Device.Serial },
        files,
    }, Json);

    private static byte[] Readme(RmaBundleContent c, IReadOnlyList<ManifestFile> files)
    {
        var d = c.Device;
        var text = new StringBuilder();
        text.Append("RMA evidence bundle\n===================\n\n");
        text.Append($"Device:        {d.Vendor} {d.Model}, hardware revision {d.HardwareRevision}, SoC {d.Soc}\n");
        text.Append($"Serial:        {d.Serial}\n");
        text.Append($"Controller id: {d.ControllerId}{(d.Name is null ? "" : $" ({d.Name})")}\n");
        text.Append($"Firmware:      active {d.Firmware.ActiveVersion ?? "unknown"}{(d.Firmware.InactiveVersion is null ? "" : $", inactive {d.Firmware.InactiveVersion}")}\n");
        text.Append($"Generated:     {Utc(c.GeneratedAt)} by {c.GeneratedBy}, with Nova Firmware\n\n");
        if (LatestFailed(c) is { } failed)
        {
            text.Append($"Diagnosis: device job {failed.Job.Id} ({failed.Job.PreviousVersion ?? "?"} -> {failed.Job.TargetVersion}) failed");
            text.Append(failed.Job.Cause is { } cause ? $" with cause {cause.ToWire()}.\n" : ".\n");
            if (failed.Job.StatusReason is { } reason)
            {
                text.Append($"  {OneLine(reason)}\n");
            }
            if (ArticleUrl(c, failed.Job) is { } article)
            {
                text.Append($"  What it means and what to do: {article}\n");
            }
        }
        else
        {
            text.Append("Diagnosis: no device job of this device has failed.\n");
        }
        text.Append("\nFiles\n-----\n");
        var width = files.Max(f => f.Path.Length);
        foreach (var file in files)
        {
            text.Append($"{file.Path.PadRight(width)}  {file.Description}\n");
        }
        text.Append($"{ManifestPath.PadRight(width)}  The list of files with their sizes and SHA-256, as JSON\n");
        text.Append("\nSHA-256\n-------\nIn sha256sum's format: save these lines as SHA256SUMS in the unpacked folder and run `sha256sum -c SHA256SUMS`.\n\n");
        foreach (var file in files)
        {
            text.Append($"{file.Sha256}  {file.Path}\n");
        }
        return Utf8(text.ToString());
    }

    private static RmaJob? LatestFailed(RmaBundleContent c) =>
        c.Jobs.Where(j => j.Job.Status == DeviceJobStatus.Failed).MaxBy(j => j.Job.Id);

    private static string? ArticleUrl(RmaBundleContent c, DeviceJob job) =>
        job.Cause is { } cause ? (c.ServerUrl?.TrimEnd('/') ?? "") + ArticleLinks.ForCause(cause) : null;

    private static IEnumerable<(string Key, string? Value)> Flatten(JsonElement element, string prefix)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    foreach (var item in Flatten(property.Value, prefix.Length == 0 ? property.Name : $"{prefix}.{property.Name}"))
                    {
                        yield return item;
                    }
                }
                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var value in element.EnumerateArray())
                {
                    foreach (var item in Flatten(value, $"{prefix}[{index++}]"))
                    {
                        yield return item;
                    }
                }
                break;
            case JsonValueKind.String:
                yield return (prefix, element.GetString());
                break;
            case JsonValueKind.Null:
            case JsonValueKind.Undefined:
                yield return (prefix, null);
                break;
            case JsonValueKind.Number:
            case JsonValueKind.True:
            case JsonValueKind.False:
                yield return (prefix, element.GetRawText());
                break;
            default:
                yield return (prefix, element.GetRawText());
                break;
        }
    }

    /// <summary>
    /// One CSV field (RFC 4180). Text that a spreadsheet would run as a formula (device words can
    /// start with "=") gets a leading apostrophe.
    /// </summary>
    internal static string Csv(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }
        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }
        return value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : value;
    }

    /// <summary>Letters, digits, '.', '-' and '_' only, at most 80 characters; <paramref name="fallback"/> when nothing is left.</summary>
    internal static string SafeName(string value, string fallback)
    {
        var mapped = new string(value.Select(ch => char.IsAsciiLetterOrDigit(ch) || ch is '.' or '-' or '_' ? ch : '-').ToArray()).Trim('.', '-');
        mapped = mapped.Length > 80 ? mapped[..80] : mapped;
        return mapped.Length == 0 ? fallback : mapped;
    }

    /// <summary>The last segment of an uploaded name, whatever separators its client used.</summary>
    private static string PhotoName(string fileName) => fileName.Replace('\\', '/').Split('/')[^1];

    private static string Extension(string contentType) => contentType.ToLowerInvariant() switch
    {
        "image/jpeg" => ".jpg",
        "image/png" => ".png",
        "image/webp" => ".webp",
        "image/heic" => ".heic",
        _ => "",
    };

    private static string OneLine(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    private static string Utc(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
