using System.Diagnostics;
using System.Diagnostics.Metrics;
using Nova.Firmware.Engine.Telemetry;

namespace Nova.Firmware.Server.Telemetry;

/// <summary>
/// What the device-facing side counts: DDI polls and how long the server took to answer them,
/// artifact bytes served (DDI, management API, TFTP) and TFTP transfers. The poll is the hot path:
/// one histogram record with one attribute from a fixed set, nothing allocated, no database work.
/// </summary>
public sealed class DeviceApiMetrics
{
    /// <summary>A poll answers from caches in well under a millisecond; a cold token look-up takes a few.</summary>
    private static readonly double[] PollBuckets = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];

    public const string PollOutcome = "nova.ddi.poll.outcome";
    public const string Channel = "nova.artifact.channel";
    public const string TftpResult = "nova.tftp.result";

    /// <summary>What a poll told the device: the values of <see cref="PollOutcome"/>.</summary>
    public static class Outcomes
    {
        public const string Idle = "idle";
        public const string Deployment = "deployment";
        public const string Cancel = "cancel";
        public const string ConfigData = "config-data";
        public const string Unauthorized = "unauthorized";
    }

    private readonly Histogram<double> _pollDuration;
    private readonly Counter<long> _artifactBytes;
    private readonly Counter<long> _tftpTransfers;

    public DeviceApiMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(NovaTelemetry.Name);
        _pollDuration = meter.CreateHistogram("nova.ddi.poll.duration", "s",
            "Time the server took to answer a DDI poll (authentication, action look-up, reply), by what the poll told the device.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = PollBuckets });
        _artifactBytes = meter.CreateCounter<long>("nova.artifact.sent", "By",
            "Package bytes served to devices and clients, by channel (ddi, api, tftp).");
        _tftpTransfers = meter.CreateCounter<long>("nova.tftp.transfers", "{transfer}",
            "TFTP read transfers that ended, by result (completed, failed with error.type).");
    }

    /// <summary>Records a poll begun at <paramref name="startTimestamp"/> (<see cref="Stopwatch.GetTimestamp"/>).</summary>
    public void PollAnswered(long startTimestamp, string outcome)
    {
        if (_pollDuration.Enabled)
        {
            _pollDuration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds, new KeyValuePair<string, object?>(PollOutcome, outcome));
        }
    }

    public void ArtifactSent(string channel, long bytes)
    {
        if (bytes > 0)
        {
            _artifactBytes.Add(bytes, new KeyValuePair<string, object?>(Channel, channel));
        }
    }

    public void TftpCompleted(long bytes)
    {
        _tftpTransfers.Add(1, new KeyValuePair<string, object?>(TftpResult, "completed"));
        ArtifactSent("tftp", bytes);
    }

    public void TftpFailed(string failure) =>
        _tftpTransfers.Add(1, new KeyValuePair<string, object?>(TftpResult, "failed"), new KeyValuePair<string, object?>(NovaTelemetry.Attributes.ErrorType, failure));
}
