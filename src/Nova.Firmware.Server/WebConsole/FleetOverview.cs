using Microsoft.EntityFrameworkCore;
using Nova.Firmware.Domain.Common;
using Nova.Firmware.Domain.Devices;
using Nova.Firmware.Domain.Jobs;
using Nova.Firmware.Domain.Packages;
using Nova.Firmware.Domain.Recovery;
using Nova.Firmware.Domain.Rollouts;
using Nova.Firmware.Persistence;

namespace Nova.Firmware.Server.WebConsole;

/// <summary>One model's firmware compliance: how many of its devices run the newest version the catalog holds for it.</summary>
public sealed record ModelCompliance(string Model, string? Newest, int Devices, int OnNewest);

/// <summary>The overview page's figures, each one aggregate query (no per-device rows for 10,000 devices).</summary>
public sealed record FleetOverview(
    IReadOnlyDictionary<string, int> Health, int Devices, IReadOnlyList<ModelCompliance> Compliance,
    IReadOnlyList<(long Id, string Name, string Status)> ActiveRollouts, int WaitingForTechnician,
    IReadOnlyList<(string Cause, int Count)> FailuresLastDay)
{
    public static async Task<FleetOverview> ReadAsync(IServiceProvider services, CancellationToken ct)
    {
        var db = services.GetRequiredService<FirmwareDbContext>();
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var health = (await db.Set<Device>().GroupBy(d => d.Health.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct))
            .ToDictionary(g => g.Key.ToWire(), g => g.Count);
        var versions = await db.Set<Device>().GroupBy(d => new { d.Model, d.Firmware.ActiveVersion })
            .Select(g => new { g.Key.Model, g.Key.ActiveVersion, Count = g.Count() }).ToListAsync(ct);
        var packages = await db.Set<FirmwarePackage>().AsNoTracking().Where(p => p.QuarantinedAt == null).Select(p => new { p.Models, p.Version }).ToListAsync(ct);
        var compliance = versions.GroupBy(v => v.Model).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g =>
        {
            var newest = packages.Where(p => p.Models.Contains(g.Key)).Select(p => p.Version).Max(PackageVersionComparer.Instance);
            return new ModelCompliance(g.Key, newest, g.Sum(v => v.Count), newest is null ? 0 : g.Where(v => v.ActiveVersion == newest).Sum(v => v.Count));
        }).ToList();
        var active = await db.Set<Rollout>().AsNoTracking()
            .Where(r => r.Status != RolloutStatus.Completed && r.Status != RolloutStatus.Cancelled)
            .OrderByDescending(r => r.Id).Take(20).Select(r => new { r.Id, r.Name, r.Status }).ToListAsync(ct);
        var technician = await db.Set<TechnicianTask>().CountAsync(t => t.Status == TechnicianTaskStatus.Open, ct);
        var since = now.AddDays(-1);
        var failures = await db.Set<DeviceJob>().Where(j => j.Status == DeviceJobStatus.Failed && j.UpdatedAt >= since && j.Cause != null)
            .GroupBy(j => j.Cause).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        return new FleetOverview(health, health.Values.Sum(), compliance,
            [.. active.Select(r => (r.Id, r.Name, r.Status.ToWire()))], technician,
            [.. failures.OrderByDescending(f => f.Count).Select(f => (f.Key!.Value.ToWire(), f.Count))]);
    }
}
