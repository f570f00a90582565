using System.Net;

namespace Nova.Firmware.Server.Tftp;

/// <summary>Log messages of the product's TFTP rescue server (event ids 4200–4219; the protocol layer uses 41xx).</summary>
internal static partial class TftpRescueLog
{
    [LoggerMessage(EventId = 4300, Level = LogLevel.Information, Message = "TFTP rescue server serving stock images on UDP {EndPoint}")]
    public static partial void Started(ILogger logger, IPEndPoint endPoint);

    [LoggerMessage(EventId = 4301, Level = LogLevel.Information, Message = "TFTP rescue server is off (Nova:Tftp:Enabled is false)")]
    public static partial void Disabled(ILogger logger);

    [LoggerMessage(EventId = 4302, Level = LogLevel.Information, Message = "TFTP rescue server on UDP {EndPoint} stopped")]
    public static partial void Stopped(ILogger logger, IPEndPoint endPoint);

    [LoggerMessage(EventId = 4303, Level = LogLevel.Error, Message = "TFTP lookup of {FileName} for {Remote} failed")]
    public static partial void LookupFailed(ILogger logger, string fileName, IPEndPoint remote, Exception exception);

    [LoggerMessage(EventId = 4304, Level = LogLevel.Error, Message = "Stock package {PackageId}: blob {Sha256} is missing or does not match its SHA-256; not served over TFTP")]
    public static partial void DamagedBlob(ILogger logger, Guid packageId, string sha256);

    [LoggerMessage(EventId = 4305, Level = LogLevel.Error, Message = "Could not write a TFTP transfer entry to the timeline of device {DeviceId}")]
    public static partial void TimelineWriteFailed(ILogger logger, Guid deviceId, Exception exception);

    [LoggerMessage(EventId = 4306, Level = LogLevel.Warning, Message = "TFTP timeline queue full or closed; entry for device {DeviceId} dropped: {Entry}")]
    public static partial void TimelineEntryDropped(ILogger logger, Guid deviceId, string entry);
}
