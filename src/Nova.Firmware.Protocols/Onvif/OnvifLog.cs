using System.Net;
using Microsoft.Extensions.Logging;

namespace Nova.Firmware.Protocols.Onvif;

/// <summary>Log messages of the ONVIF, vendor extension and WS-Discovery clients, with stable event ids.</summary>
internal static partial class OnvifLog
{
    [LoggerMessage(EventId = 4200, Level = LogLevel.Debug, Message = "{Operation} to {Uri}: Digest challenge ({Algorithm}, stale {Stale}, had authenticated {HadSession}); answering")]
    public static partial void DigestChallenged(ILogger logger, string operation, Uri uri, string algorithm, bool stale, bool hadSession);

    [LoggerMessage(EventId = 4201, Level = LogLevel.Information, Message = "{Uri} refused the request without offering HTTP Digest; using WS-UsernameToken from now on")]
    public static partial void FallingBackToUsernameToken(ILogger logger, Uri uri);

    [LoggerMessage(EventId = 4202, Level = LogLevel.Information, Message = "{Uri}: camera clock is {SkewSeconds} s from ours; UsernameToken times are corrected by it")]
    public static partial void ClockSkewMeasured(ILogger logger, Uri uri, double skewSeconds);

    [LoggerMessage(EventId = 4203, Level = LogLevel.Warning, Message = "{Uri}: camera clock could not be read ({Reason}); UsernameToken times use our clock")]
    public static partial void ClockSkewUnknown(ILogger logger, Uri uri, string reason);

    [LoggerMessage(EventId = 4204, Level = LogLevel.Warning, Message = "{Operation} to {Uri}: {Reason} ({Detail})")]
    public static partial void Unreachable(ILogger logger, string operation, Uri uri, OnvifUnreachableReason reason, string detail);

    [LoggerMessage(EventId = 4205, Level = LogLevel.Information, Message = "{Operation} to {Uri}: retrying in {DelayMs} ms (attempt {Attempt})")]
    public static partial void RetryingRead(ILogger logger, string operation, Uri uri, double delayMs, int attempt);

    [LoggerMessage(EventId = 4210, Level = LogLevel.Information, Message = "Uploading {Bytes} bytes of firmware to {Uri} after waiting {DelayMs} ms")]
    public static partial void UploadStarting(ILogger logger, Uri uri, long bytes, double delayMs);

    [LoggerMessage(EventId = 4211, Level = LogLevel.Information, Message = "Firmware upload to {Uri} answered HTTP {Status}: {Text}")]
    public static partial void UploadAnswered(ILogger logger, Uri uri, int status, string text);

    [LoggerMessage(EventId = 4220, Level = LogLevel.Debug, Message = "WS-Discovery: ignored a datagram from {Remote}: {Reason}")]
    public static partial void DiscoveryDatagramIgnored(ILogger logger, IPEndPoint remote, string reason);

    [LoggerMessage(EventId = 4221, Level = LogLevel.Warning, Message = "WS-Discovery: Probe to {Target} not sent: {Reason}")]
    public static partial void DiscoveryProbeNotSent(ILogger logger, IPEndPoint target, string reason);
}
