using System.Collections.Concurrent;
using System.Diagnostics;
using Nova.Firmware.Engine.Telemetry;
using Nova.Firmware.Engine.Tests.Infrastructure;

namespace Nova.Firmware.Engine.Tests.Telemetry;

public sealed class EngineTracingTests
{
    [Fact]
    public async Task StepAsync_SomeoneListening_OneSpanPerStepWithJobAndDeviceIds()
    {
        // The source is process-wide: other tests' engines step jobs too, so spans are picked out by this test's device.
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == NovaTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        await using var engine = await EngineHarness.StartAsync();

        var (device, jobId) = await engine.StartTransferAsync();

        var mine = spans.Where(s => s.GetTagItem(NovaTelemetry.Attributes.DeviceId) as string == device.Id.ToString()).ToList();
        Assert.All(mine, s => Assert.Equal("device_job.step", s.OperationName));
        Assert.All(mine, s => Assert.Equal(jobId, s.GetTagItem(NovaTelemetry.Attributes.JobId)));
        // Queued → pre-flight, pre-flight → transferring, then a look at the transfer that moves nothing.
        Assert.Equal(["queued", "preflight", "transferring"], mine.Select(s => s.GetTagItem(NovaTelemetry.Attributes.JobStatus) as string));
        Assert.Equal(["preflight", "transferring", null], mine.Select(s => s.GetTagItem(NovaTelemetry.Attributes.JobStatusTo) as string));
    }
}
