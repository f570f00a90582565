using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Nova.Firmware.Engine.Tests.Infrastructure;

/// <summary>One measurement of a product instrument: its value and attributes.</summary>
public sealed record Measurement(string Instrument, double Value, IReadOnlyDictionary<string, string?> Tags);

/// <summary>
/// Listens to the instruments of one meter factory (one service provider): meters are process-wide,
/// and other tests' engines record on instruments of the same names at the same time.
/// </summary>
public sealed class MeasurementRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<Measurement> _measurements = new();

    public MeasurementRecorder(IMeterFactory factory)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, factory))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, value, tags, _) => Record(i, value, tags));
        _listener.SetMeasurementEventCallback<double>((i, value, tags, _) => Record(i, value, tags));
        _listener.Start();
    }

    public IReadOnlyList<Measurement> Of(string instrument) => _measurements.Where(m => m.Instrument == instrument).ToList();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var map = new Dictionary<string, string?>();
        foreach (var tag in tags)
        {
            map[tag.Key] = tag.Value?.ToString();
        }
        _measurements.Enqueue(new Measurement(instrument.Name, value, map));
    }

    public void Dispose() => _listener.Dispose();
}
