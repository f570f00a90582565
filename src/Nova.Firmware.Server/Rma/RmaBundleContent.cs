using Nova.Firmware.Domain.Devices;
using Nova.Firmware.Domain.Drivers;
using Nova.Firmware.Domain.Jobs;
using Nova.Firmware.Domain.Timeline;

namespace Nova.Firmware.Server.Rma;

/// <summary>
/// Everything an RMA evidence bundle holds, gathered by <see cref="RmaBundleLoader"/> and written by
/// <see cref="RmaBundleWriter"/>. Lists are oldest first.
/// </summary>
public sealed record RmaBundleContent(
    Device Device,
    DeviceReport? Report,
    IReadOnlyList<RmaJob> Jobs,
    IReadOnlyList<TimelineEntry> Timeline,
    RmaSystemLog SystemLog,
    IReadOnlyList<RmaPhoto> Photos,
    DateTimeOffset GeneratedAt,
    string GeneratedBy)
{
    /// <summary>The server's public address ("https://fw.example.com"), so article links in the bundle work outside it; null leaves them relative.</summary>
    public string? ServerUrl { get; init; }
}

/// <summary>One device job with the package it moved to (null fields when the package is gone).</summary>
public sealed record RmaJob(DeviceJob Job, string? PackageVendor, string? PackageVersion, string? PackageFileName);

/// <summary>
/// The device's system log as its driver read it when the bundle was made, or why it could not be
/// read (a bricked device still gets a bundle).
/// </summary>
public sealed record RmaSystemLog(DateTimeOffset AskedAt, DriverOutcome Outcome, string? Text, string? Reason)
{
    public static RmaSystemLog Read(DateTimeOffset at, string text) => new(at, DriverOutcome.Done, text, null);

    public static RmaSystemLog Unavailable(DateTimeOffset at, DriverOutcome outcome, string reason) => new(at, outcome, null, reason);
}

/// <summary>A photo a technician attached to the device (hardware sticker, status LEDs).</summary>
public sealed record RmaPhoto(string FileName, string ContentType, byte[] Bytes, string? Caption);

/// <summary>Where the bundle's photos come from: the technician tasks that store them.</summary>
public interface IRmaPhotoSource
{
    Task<IReadOnlyList<RmaPhoto>> ForDeviceAsync(Guid deviceId, CancellationToken cancellationToken);
}

