using Nova.Firmware.Server.Ddi;

namespace Nova.Firmware.Server.Tests.Ddi;

public sealed class LastSeenTrackerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Record_SameDeviceTwice_KeepsTheLaterTime()
    {
        var tracker = new LastSeenTracker();
        var device = Guid.NewGuid();
        tracker.Record(device, T0.AddSeconds(5));
        tracker.Record(device, T0);

        Assert.Equal(T0.AddSeconds(5), Assert.Single(tracker.Pending()).Value);
    }

    [Fact]
    public void Written_ForgetsWhatWasWritten()
    {
        var tracker = new LastSeenTracker();
        tracker.Record(Guid.NewGuid(), T0);
        tracker.Record(Guid.NewGuid(), T0);

        tracker.Written(tracker.Pending());

        Assert.Empty(tracker.Pending());
    }

    [Fact]
    public void Written_WhenThePollIsSeenAgainDuringTheFlush_KeepsTheNewTimeForTheNextFlush()
    {
        var tracker = new LastSeenTracker();
        var device = Guid.NewGuid();
        tracker.Record(device, T0);
        var batch = tracker.Pending();

        tracker.Record(device, T0.AddSeconds(1)); // a poll while the batch is being written
        tracker.Written(batch);

        Assert.Equal(T0.AddSeconds(1), Assert.Single(tracker.Pending()).Value);
    }

    [Fact]
    public void Pending_WhileOtherThreadsRecord_LosesNoDevice()
    {
        var tracker = new LastSeenTracker();
        var devices = Enumerable.Range(0, 20_000).Select(_ => Guid.NewGuid()).ToArray();
        var written = new HashSet<Guid>();
        var recording = Task.Run(() => Parallel.ForEach(devices, d => tracker.Record(d, T0)));
        while (!recording.IsCompleted)
        {
            var batch = tracker.Pending();
            written.UnionWith(batch.Select(e => e.Key));
            tracker.Written(batch);
        }
        written.UnionWith(tracker.Pending().Select(e => e.Key));

        Assert.Equal(devices.Length, written.Count);
    }
}
