using Nova.Firmware.Protocols.Onvif;

namespace Nova.Firmware.Server.Endpoints.Management.Discovery;

internal static partial class DiscoveryLog
{
    [LoggerMessage(EventId = 3201, Level = LogLevel.Information, Message = "WS-Discovery probe (multicast {Multicast}, {UnicastCount} unicast targets, {TimeoutSeconds} s) found {Found} cameras")]
    public static partial void Probed(ILogger logger, bool multicast, int unicastCount, double timeoutSeconds, int found);

    [LoggerMessage(EventId = 3202, Level = LogLevel.Information, Message = "Could not identify the camera at {XAddr} ({Kind}): {Reason}")]
    public static partial void IdentifyFailed(ILogger logger, Uri xaddr, OnvifErrorKind kind, string reason);

    [LoggerMessage(EventId = 3203, Level = LogLevel.Information, Message = "Discovery import stored {Imported} cameras; {Existing} were already in the inventory")]
    public static partial void Imported(ILogger logger, int imported, int existing);

    [LoggerMessage(EventId = 3204, Level = LogLevel.Warning, Message = "Identifying the camera at {XAddr} failed unexpectedly")]
    public static partial void IdentifyCrashed(ILogger logger, Uri xaddr, Exception exception);
}
