using System.Diagnostics;
using System.Diagnostics.Metrics;
using OpenTelemetry;
using OpenTelemetry.Metrics;

// The DDI poll's metric work alone, as DdiEndpoints.PollAsync does it: a timestamp at the start,
// one histogram record with one attribute at the end. Printed per poll, with and without listener.
const int Polls = 5_000_000;
double[] buckets = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];

using (var meter = new Meter("Nova.Firmware"))
{
    var histogram = meter.CreateHistogram("nova.ddi.poll.duration", "s", null, null, new InstrumentAdvice<double> { HistogramBucketBoundaries = buckets });
    Poll(histogram, Polls);
    Console.WriteLine($"metrics off (nobody listening): {Poll(histogram, Polls):F1} ns per poll");
}
using (Sdk.CreateMeterProviderBuilder().AddMeter("Nova.Firmware").AddReader(new PeriodicExportingMetricReader(new NullExporter(), 60_000)).Build())
using (var meter = new Meter("Nova.Firmware"))
{
    var histogram = meter.CreateHistogram("nova.ddi.poll.duration", "s", null, null, new InstrumentAdvice<double> { HistogramBucketBoundaries = buckets });
    Poll(histogram, Polls);
    Console.WriteLine($"metrics on (OpenTelemetry listening): {Poll(histogram, Polls):F1} ns per poll");
    var before = GC.GetAllocatedBytesForCurrentThread();
    Poll(histogram, 1_000_000);
    Console.WriteLine($"allocated per poll with metrics on: {(GC.GetAllocatedBytesForCurrentThread() - before) / 1_000_000.0:F2} bytes");
}

static double Poll(Histogram<double> histogram, int polls)
{
    var outcome = "idle";
    var watch = Stopwatch.StartNew();
    for (var i = 0; i < polls; i++)
    {
        var started = Stopwatch.GetTimestamp();
        if (histogram.Enabled)
        {
            histogram.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>("nova.ddi.poll.outcome", outcome));
        }
    }
    return watch.Elapsed.TotalNanoseconds / polls;
}

/// <summary>Collects like a real exporter would, sends nowhere.</summary>
internal sealed class NullExporter : BaseExporter<Metric>
{
    public override ExportResult Export(in Batch<Metric> batch) => ExportResult.Success;
}
