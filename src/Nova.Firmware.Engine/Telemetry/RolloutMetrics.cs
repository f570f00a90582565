using System.Diagnostics;
using System.Diagnostics.Metrics;
using Nova.Firmware.Domain.Common;
using Nova.Firmware.Domain.Rollouts;
using A = Nova.Firmware.Engine.Telemetry.NovaTelemetry.Attributes;

namespace Nova.Firmware.Engine.Telemetry;

/// <summary>
/// Rollout metrics, on the product's meter (registered with the engine, exported with the rest):
/// the rollout store calls <see cref="RolloutMoved"/> after each committed status change. Further
/// rollout instruments (devices per wave and state, wave durations) belong here too, named
/// <c>nova.rollout.*</c>. Rollout leases taken over between replicas are already counted by
/// <c>nova.lease.takeovers</c> (kind <c>rollout</c>).
/// </summary>
public sealed class RolloutMetrics
{
    private readonly Counter<long> _transitions;

    public RolloutMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(NovaTelemetry.Name);
        _transitions = meter.CreateCounter<long>("nova.rollout.transitions", "{transition}", "Rollout status changes, by the status entered.");
    }

    public void RolloutMoved(RolloutStatus to) =>
        _transitions.Add(1, new TagList { { A.RolloutStatus, to.ToWire() } });
}
