namespace Nova.Firmware.Domain.Rollouts;

/// <summary>A device as wave planning sees it.</summary>
public sealed record WaveCandidate(Guid DeviceId, string Model, string HardwareRevision);

/// <summary>
/// Splits a rollout's devices into waves: the canaries first, picked in turn from each model and
/// hardware revision so that a package that bricks one kind of device shows it in the first wave;
/// then the rest, in the order given, by wave size or percentage.
/// </summary>
public static class WavePlan
{
    public static WaveAssignment Assign(IReadOnlyList<WaveCandidate> devices, RolloutStrategy strategy)
    {
        ArgumentNullException.ThrowIfNull(devices);
        ArgumentNullException.ThrowIfNull(strategy);
        var waves = new Dictionary<Guid, int>(devices.Count);
        if (devices.Count == 0)
        {
            return new WaveAssignment(waves, 0);
        }
        var canaries = PickCanaries(devices, Math.Min(strategy.CanaryCount, devices.Count));
        var wave = 0;
        if (canaries.Count > 0)
        {
            foreach (var id in canaries)
            {
                waves[id] = 0;
            }
            wave = 1;
        }
        var rest = devices.Where(d => !waves.ContainsKey(d.DeviceId)).ToList();
        if (rest.Count == 0)
        {
            return new WaveAssignment(waves, wave);
        }
        var size = strategy.WaveSize is { } fixedSize and > 0 ? fixedSize
            : strategy.WavePercent is { } percent and > 0 ? Math.Max(1, (int)Math.Ceiling(rest.Count * percent / 100.0))
            : rest.Count;
        for (var i = 0; i < rest.Count; i++)
        {
            waves[rest[i].DeviceId] = wave + (i / size);
        }
        return new WaveAssignment(waves, wave + ((rest.Count + size - 1) / size));
    }

    private static List<Guid> PickCanaries(IReadOnlyList<WaveCandidate> devices, int count)
    {
        var groups = devices
            .GroupBy(d => (Model: d.Model.ToUpperInvariant(), d.HardwareRevision))
            .OrderBy(g => g.Key.Model, StringComparer.Ordinal).ThenBy(g => g.Key.HardwareRevision, StringComparer.Ordinal)
            .Select(g => new Queue<WaveCandidate>(g))
            .ToList();
        var picked = new List<Guid>(count);
        while (picked.Count < count)
        {
            foreach (var group in groups.Where(g => g.Count > 0))
            {
                if (picked.Count == count)
                {
                    break;
                }
                picked.Add(group.Dequeue().DeviceId);
            }
        }
        return picked;
    }
}

/// <summary>Each device's wave (0 first) and how many waves there are.</summary>
public sealed record WaveAssignment(IReadOnlyDictionary<Guid, int> Waves, int WaveCount);
