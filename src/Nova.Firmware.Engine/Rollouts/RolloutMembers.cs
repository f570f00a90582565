using Nova.Firmware.Domain.Devices;
using Nova.Firmware.Domain.Packages;
using Nova.Firmware.Domain.Rollouts;

namespace Nova.Firmware.Engine.Rollouts;

/// <summary>
/// Turns matching devices into rollout devices: the package that fits each (the first of the
/// rollout's packages, in the order given, whose vendor, model, revision and SoC match), and its
/// wave. A device no package fits is kept, blocked, so the rollout shows it instead of hiding it.
/// </summary>
public static class RolloutMembers
{
    public static List<RolloutDevice> Plan(IReadOnlyList<Device> devices, IReadOnlyList<FirmwarePackage> packages, RolloutStrategy strategy, long rolloutId, DateTimeOffset now, int? joinWave = null)
    {
        ArgumentNullException.ThrowIfNull(devices);
        ArgumentNullException.ThrowIfNull(packages);
        var fits = devices.ToDictionary(d => d.Id, d => packages.FirstOrDefault(p => PackageCompatibility.Fits(p, DeviceIdentity.Of(d))));
        var planned = devices.Where(d => fits[d.Id] is not null).OrderBy(d => d.ControllerId, StringComparer.Ordinal).ToList();
        var waves = joinWave is { } wave
            ? planned.ToDictionary(d => d.Id, _ => wave)
            : WavePlan.Assign(planned.Select(d => new WaveCandidate(d.Id, d.Model, d.HardwareRevision)).ToList(), strategy).Waves;
        return devices.Select(d => fits[d.Id] is { } package
            ? new RolloutDevice { RolloutId = rolloutId, DeviceId = d.Id, PackageId = package.Id, Wave = waves[d.Id], State = RolloutDeviceState.Pending, UpdatedAt = now }
            : new RolloutDevice
            {
                RolloutId = rolloutId,
                DeviceId = d.Id,
                Wave = RolloutDevice.Unplanned,
                State = RolloutDeviceState.Blocked,
                BlockingCheck = Domain.Preflight.PreflightCheck.Compatibility,
                Reason = $"No package of this rollout fits {DeviceIdentity.Of(d)}.",
                UpdatedAt = now,
            }).ToList();
    }
}
