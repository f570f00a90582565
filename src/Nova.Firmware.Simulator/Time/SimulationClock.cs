namespace Nova.Firmware.Simulator.Time;

/// <summary>
/// The one clock every simulated device uses. Simulated time runs <see cref="Scale"/> times faster
/// than the underlying clock, so the article's "wait 10 minutes" takes one second at scale 600.
/// Timers and delays are shortened by the same factor; because it is a <see cref="TimeProvider"/>,
/// <c>Task.Delay(duration, clock)</c> and <c>PeriodicTimer</c> work unchanged and share the runtime's
/// timer queue (no thread per device).
/// </summary>
public sealed class SimulationClock : TimeProvider
{
    private readonly TimeProvider _inner;
    private readonly DateTimeOffset _origin;
    private readonly long _originTimestamp;

    public SimulationClock(double scale = 1, TimeProvider? inner = null)
    {
        if (!(scale > 0) || double.IsInfinity(scale))
        {
            throw new ArgumentOutOfRangeException(nameof(scale), scale, "The time scale must be a positive number.");
        }
        Scale = scale;
        _inner = inner ?? System;
        _origin = _inner.GetUtcNow();
        _originTimestamp = _inner.GetTimestamp();
    }

    /// <summary>How many simulated seconds pass per real second.</summary>
    public double Scale { get; }

    public override TimeZoneInfo LocalTimeZone => _inner.LocalTimeZone;

    public override long TimestampFrequency => _inner.TimestampFrequency;

    public override DateTimeOffset GetUtcNow() => _origin + Scaled(_inner.GetElapsedTime(_originTimestamp));

    public override long GetTimestamp()
    {
        var real = _inner.GetTimestamp() - _originTimestamp;
        return _originTimestamp + (long)(real * Scale);
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        new ScaledTimer(_inner.CreateTimer(callback, state, ToReal(dueTime), ToReal(period)), this);

    /// <summary>Waits a simulated duration.</summary>
    public Task Delay(TimeSpan simulated, CancellationToken cancellationToken = default) =>
        simulated <= TimeSpan.Zero ? Task.CompletedTask : Task.Delay(ToReal(simulated), _inner, cancellationToken);

    /// <summary>The real duration a simulated one takes.</summary>
    public TimeSpan ToReal(TimeSpan simulated)
    {
        if (simulated == Timeout.InfiniteTimeSpan || simulated <= TimeSpan.Zero)
        {
            return simulated;
        }
        var ticks = simulated.Ticks / Scale;
        // Never round a real wait down to zero: a zero due time would fire at once and busy-loop.
        return TimeSpan.FromTicks(Math.Max(1, (long)Math.Min(ticks, TimeSpan.MaxValue.Ticks / 2)));
    }

    private TimeSpan Scaled(TimeSpan real) => TimeSpan.FromTicks((long)(real.Ticks * Scale));

    private sealed class ScaledTimer(ITimer inner, SimulationClock clock) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => inner.Change(clock.ToReal(dueTime), clock.ToReal(period));

        public void Dispose() => inner.Dispose();

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
