using Microsoft.EntityFrameworkCore;
using Nova.Firmware.Domain.Common;
using Nova.Firmware.Domain.Devices;
using Nova.Firmware.Domain.Jobs;
using Nova.Firmware.Domain.Packages;
using Nova.Firmware.Domain.Preflight;
using Nova.Firmware.Domain.Recovery;
using Nova.Firmware.Domain.Rollouts;

namespace Nova.Firmware.Engine.Rollouts;

/// <summary>Starting device jobs: the window, then the limits overall, per site and per power feed, device by device.</summary>
public sealed partial class RolloutStepper
{
    /// <summary>How many due devices one step reads: enough that devices held by one full switch do not hide others that could start.</summary>
    private const int CandidatesPerStep = 2000;

    private async Task DispatchAsync(Rollout rollout, string owner, DateTimeOffset now, CancellationToken ct)
    {
        var s = rollout.Strategy;
        var o = options.Value;
        if (s.Window?.At(now) is { IsOpen: false } closed)
        {
            var opens = closed.OpensAt;
            await store.NoteAsync(rollout, owner,
                opens is { } at ? $"Outside the maintenance window; new flashes start when it opens at {at:u}." : "The maintenance window never opens again; change the rollout's window or cancel it.",
                opens ?? now + o.IdleRecheckInterval, ct);
            return;
        }
        var running = await db.Set<RolloutDevice>().CountAsync(m => m.RolloutId == rollout.Id && m.State == RolloutDeviceState.Active, ct);
        var slots = Math.Min(s.MaxConcurrent - running, o.MaxStartsPerStep);
        if (slots <= 0)
        {
            await store.NoteAsync(rollout, owner, $"{running} devices flashing, the most this rollout runs at once; the next starts when one ends.", now + o.RecheckInterval, ct);
            return;
        }
        var failedStates = new[] { RolloutDeviceState.Failed, RolloutDeviceState.Blocked };
        var due = await db.Set<RolloutDevice>().AsNoTracking()
            .Where(m => m.RolloutId == rollout.Id && m.Wave != RolloutDevice.Unplanned && m.Wave <= rollout.OpenedWave
                && ((m.State == RolloutDeviceState.Pending && (m.RetryAt == null || m.RetryAt <= now))
                    || (failedStates.Contains(m.State) && m.RetryAt != null && m.RetryAt <= now)))
            .OrderBy(m => m.Wave).ThenBy(m => m.Id)
            .Take(CandidatesPerStep)
            .ToListAsync(ct);
        if (due.Count == 0)
        {
            var nextRetry = await db.Set<RolloutDevice>().AsNoTracking()
                .Where(m => m.RolloutId == rollout.Id && m.Wave <= rollout.OpenedWave && m.RetryAt != null && m.RetryAt > now)
                .MinAsync(m => (DateTimeOffset?)m.RetryAt, ct);
            var waiting = nextRetry is { } at ? $" Next retry at {at:u}." : "";
            await store.NoteAsync(rollout, owner, $"{running} devices flashing in {RolloutAdvance.WaveName(rollout, rollout.OpenedWave)}.{waiting}",
                nextRetry is { } r && r < now + o.IdleRecheckInterval ? r : now + o.IdleRecheckInterval, ct);
            return;
        }
        var plan = await PlanStartsAsync(rollout, due, running, slots, now, ct);
        await store.ChangeMembersAsync(plan.Changes, ct);
        var started = await store.StartJobsAsync(rollout.Id, owner, plan.Starts, ct);
        if (started.Count > 0)
        {
            LogStarted(log, rollout.Id, started.Count);
            wakeup.Wake();
        }
        var held = plan.Held.Count == 0 ? "" : " Held back: " + string.Join("; ", plan.Held.GroupBy(h => h).OrderByDescending(g => g.Count()).Take(3).Select(g => g.Count() == 1 ? g.Key : $"{g.Key} ({g.Count()} devices)")) + ".";
        await store.NoteAsync(rollout, owner,
            $"{running + started.Count} devices flashing in {RolloutAdvance.WaveName(rollout, rollout.OpenedWave)}.{held}",
            plan.Held.Count > 0 || started.Count < plan.Starts.Count ? now + o.RecheckInterval : now + o.IdleRecheckInterval, ct);
    }

    private sealed record StartPlan(List<JobStart> Starts, List<MemberChange> Changes, List<string> Held);

    /// <summary>Goes through the due devices in wave order and decides for each: start, skip, block, or hold back (and why).</summary>
    private async Task<StartPlan> PlanStartsAsync(Rollout rollout, List<RolloutDevice> due, int running, int slots, DateTimeOffset now, CancellationToken ct)
    {
        var s = rollout.Strategy;
        var plan = new StartPlan([], [], []);
        var deviceIds = due.Select(m => m.DeviceId).ToList();
        var devices = await db.Set<Device>().AsNoTracking().Where(d => deviceIds.Contains(d.Id)).ToDictionaryAsync(d => d.Id, ct);
        var packageIds = rollout.PackageIds;
        var packages = await db.Set<FirmwarePackage>().AsNoTracking().Where(p => packageIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, ct);
        var busyJobs = (await db.Set<DeviceJob>().AsNoTracking().Where(j => j.ActiveDeviceId != null && deviceIds.Contains(j.ActiveDeviceId.Value)).Select(j => j.DeviceId).ToListAsync(ct)).ToHashSet();
        var recovering = (await db.Set<RecoveryRun>().AsNoTracking().Where(r => r.ActiveDeviceId != null && deviceIds.Contains(r.ActiveDeviceId.Value)).Select(r => r.DeviceId).ToListAsync(ct)).ToHashSet();
        var perSite = s.MaxConcurrentPerSite is null ? [] : await RunningPerSiteAsync(rollout.Id, ct);
        var feeds = s.PowerAware ? await FeedLoadsAsync(devices.Values, ct) : [];
        foreach (var member in due)
        {
            if (plan.Starts.Count >= slots)
            {
                break;
            }
            if (!devices.TryGetValue(member.DeviceId, out var device))
            {
                continue;
            }
            if (member.PackageId is not { } packageId || !packages.TryGetValue(packageId, out var package))
            {
                plan.Changes.Add(new MemberChange(member.Id, member.State, RolloutDeviceState.Blocked, "No package of this rollout fits the device.", PreflightCheck.Compatibility));
                continue;
            }
            if (device.Firmware.ActiveVersion == package.Version)
            {
                plan.Changes.Add(member.Attempts == 0
                    ? new MemberChange(member.Id, member.State, RolloutDeviceState.Skipped, $"Already runs {package.Version}.")
                    : new MemberChange(member.Id, member.State, RolloutDeviceState.Succeeded, $"Runs {package.Version} now (brought there by the recovery ladder or by hand)."));
                continue;
            }
            if (package.QuarantinedAt is not null)
            {
                plan.Changes.Add(new MemberChange(member.Id, member.State, RolloutDeviceState.Blocked, $"Package {package.Version} is quarantined: {package.QuarantineReason}", PreflightCheck.Checksum));
                continue;
            }
            if (drivers.CannotFlash(device) is { } cannot)
            {
                plan.Changes.Add(new MemberChange(member.Id, member.State, RolloutDeviceState.Blocked, cannot, PreflightCheck.Reachability));
                continue;
            }
            if (busyJobs.Contains(device.Id))
            {
                plan.Held.Add("busy with another device job");
                continue;
            }
            if (recovering.Contains(device.Id))
            {
                plan.Held.Add("in a recovery run");
                continue;
            }
            var site = device.Site ?? "";
            if (s.MaxConcurrentPerSite is { } siteLimit && perSite.GetValueOrDefault(site) >= siteLimit)
            {
                plan.Held.Add($"site {(site.Length == 0 ? "(none)" : site)} has {siteLimit} flashing, its limit");
                continue;
            }
            if (s.PowerAware && device.PowerFeed.SwitchId is { } switchId && feeds.TryGetValue(switchId, out var load))
            {
                var extra = power.Value.DrawOf(device.Model).ExtraWhileFlashing;
                if (!load.Admits(extra, s.MaxConcurrentPerPowerFeed))
                {
                    plan.Held.Add(load.Describe(s.MaxConcurrentPerPowerFeed));
                    continue;
                }
                feeds[switchId] = load.With(extra);
            }
            // Counted only once the device really starts, so a device held by its switch takes no site slot.
            perSite[site] = perSite.GetValueOrDefault(site) + 1;
            var job = DeviceJob.Queue(device, package.Id, package.Version, $"rollout {rollout.Id}", now);
            job.RolloutId = rollout.Id;
            var attempt = member.Attempts == 0 ? "" : $" (attempt {member.Attempts + 1}; the last ended {member.State.ToWire()}{(member.Cause is { } c ? $": {c.ToWire()}" : "")})";
            plan.Starts.Add(new JobStart(member, job,
                $"queued: rollout {rollout.Id} \"{rollout.Name}\", {RolloutAdvance.WaveName(rollout, member.Wave)}, package {package.Vendor} {package.Version} ({package.FileName}), from {device.Firmware.ActiveVersion ?? "an unknown version"}{attempt}."));
        }
        return plan;
    }

    private async Task<Dictionary<string, int>> RunningPerSiteAsync(long rolloutId, CancellationToken ct)
    {
        var rows = await db.Set<RolloutDevice>().AsNoTracking()
            .Where(m => m.RolloutId == rolloutId && m.State == RolloutDeviceState.Active)
            .Join(db.Set<Device>(), m => m.DeviceId, d => d.Id, (m, d) => d.Site)
            .GroupBy(site => site)
            .Select(g => new { Site = g.Key, Count = g.Count() })
            .ToListAsync(ct);
        return rows.ToDictionary(r => r.Site ?? "", r => r.Count);
    }

    /// <summary>
    /// The load on each switch the candidates hang on: every device on it at its idle draw, plus the
    /// extra draw of each one with an active device job of any origin (another rollout, an
    /// operator, a recovery retry), since the switch does not care who started the flash.
    /// </summary>
    private async Task<Dictionary<string, PowerFeedLoad>> FeedLoadsAsync(IEnumerable<Device> candidates, CancellationToken ct)
    {
        var switches = candidates.Select(d => d.PowerFeed.SwitchId).OfType<string>().Distinct().ToList();
        if (switches.Count == 0)
        {
            return [];
        }
        var onFeeds = await db.Set<Device>().AsNoTracking()
            .Where(d => d.PowerFeed.SwitchId != null && switches.Contains(d.PowerFeed.SwitchId))
            .Select(d => new { d.Id, SwitchId = d.PowerFeed.SwitchId!, d.Model })
            .ToListAsync(ct);
        var ids = onFeeds.Select(d => d.Id).ToList();
        var flashing = (await db.Set<DeviceJob>().AsNoTracking()
            .Where(j => j.ActiveDeviceId != null && ids.Contains(j.ActiveDeviceId.Value))
            .Select(j => j.DeviceId).ToListAsync(ct)).ToHashSet();
        var p = power.Value;
        return onFeeds.GroupBy(d => d.SwitchId, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g =>
        {
            var draw = g.Sum(d => p.DrawOf(d.Model).IdleWatts + (flashing.Contains(d.Id) ? p.DrawOf(d.Model).ExtraWhileFlashing : 0));
            return new PowerFeedLoad(g.Key, p.BudgetOf(g.Key), draw, g.Count(d => flashing.Contains(d.Id)));
        }, StringComparer.OrdinalIgnoreCase);
    }
}
