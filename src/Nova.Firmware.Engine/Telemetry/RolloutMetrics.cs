using System.Diagnostics;
using System.Diagnostics.Metrics;
using A = Nova.Firmware.Engine.Telemetry.NovaTelemetry.Attributes;

namespace Nova.Firmware.Engine.Telemetry;

/// <summary>
/// The place for rollout metrics, on the product's meter (registered with the engine; exported
/// with the rest). The rollout loop calls <see cref="RolloutMoved"/> after each committed status
/// change, with the stored wire name of the status entered; further rollout instruments (devices
/// per wave, wave durations) belong here too, named <c>nova.rollout.*</c>.
/// </summary>
public sealed class RolloutMetrics
{
    private readonly Counter<long> _transitions;

    public RolloutMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(NovaTelemetry.Name);
        _transitions = meter.CreateCounter<long>("nova.rollout.transitions", "{transition}", "Rollout status changes, by the status entered.");
    }

    public void RolloutMoved(string toStatusWireName) =>
        _transitions.Add(1, new TagList { { A.RolloutStatus, toStatusWireName } });
}
