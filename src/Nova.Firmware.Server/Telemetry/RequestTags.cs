using System.Diagnostics;
using Nova.Firmware.Engine.Telemetry;

namespace Nova.Firmware.Server.Telemetry;

/// <summary>
/// Puts the job and device a request moved on its span, so a trace search for one job id finds
/// the engine's steps and the requests (the operator's, the device's) between them. Only when the
/// span is recorded: with traces off this is one property check.
/// </summary>
public static class RequestTags
{
    public static void Tag(long? jobId, Guid? deviceId)
    {
        if (Activity.Current is not { IsAllDataRequested: true } activity)
        {
            return;
        }
        if (jobId is { } job)
        {
            activity.SetTag(NovaTelemetry.Attributes.JobId, job);
        }
        if (deviceId is { } device)
        {
            activity.SetTag(NovaTelemetry.Attributes.DeviceId, device.ToString());
        }
    }
}
