using System.Globalization;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Nova.Firmware.Domain.Jobs;
using Nova.Firmware.Domain.Rollouts;
using Nova.Firmware.Persistence;

namespace Nova.Firmware.Server.Endpoints.Management;

/// <summary>
/// The live feed of device job changes behind <c>GET /api/v1/jobs/events</c>. It reads the database,
/// not this replica's memory, so a console connected to any replica sees every replica's work.
/// </summary>
/// <remarks>
/// Each <c>job</c> event carries the job's update time as its id; a client that reconnects with
/// <c>Last-Event-ID</c> resumes from there (a change made at exactly that instant may come twice,
/// never zero times). A <c>ready</c> event goes out first so the client knows it is subscribed
/// before it starts work whose changes it wants to see.
/// </remarks>
public static class JobEventStream
{
    public const string ReadyEvent = "ready";
    public const string JobEvent = "job";
    /// <summary>A rollout's status or wording changed (a wave opened, it paused, devices started); read it for progress.</summary>
    public const string RolloutEvent = "rollout";
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>Reads a resume point from a Last-Event-ID value; null when absent or not one of ours.</summary>
    public static DateTimeOffset? ParseEventId(string? lastEventId) =>
        long.TryParse(lastEventId, NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            && ticks >= DateTimeOffset.MinValue.UtcTicks && ticks <= DateTimeOffset.MaxValue.UtcTicks
            ? new DateTimeOffset(ticks, TimeSpan.Zero)
            : null;

    public static string EventId(DateTimeOffset updatedAt) => updatedAt.UtcTicks.ToString(CultureInfo.InvariantCulture);

    public static async IAsyncEnumerable<SseItem<object>> FollowAsync(IServiceScopeFactory scopes, TimeProvider time, DateTimeOffset? resumeFrom,
        [EnumeratorCancellation] CancellationToken ct)
    {
        var since = resumeFrom ?? time.GetUtcNow();
        yield return new SseItem<object>(new { since }, ReadyEvent) { EventId = EventId(since) };
        // Jobs already sent at their current update time; only times >= since can come back, so
        // older entries are dropped and the map stays as small as one poll's worth of changes.
        var sent = new Dictionary<long, DateTimeOffset>();
        var rolloutsSince = since;
        var rolloutsSent = new Dictionary<long, DateTimeOffset>();
        while (!ct.IsCancellationRequested)
        {
            List<DeviceJob> changed;
            List<Rollout> rollouts;
            await using (var scope = scopes.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<FirmwareDbContext>();
                changed = await db.Set<DeviceJob>().AsNoTracking().Where(j => j.UpdatedAt >= since)
                    .OrderBy(j => j.UpdatedAt).ThenBy(j => j.Id).Take(500).ToListAsync(ct);
                var from = rolloutsSince;
                rollouts = await db.Set<Rollout>().AsNoTracking().Where(r => r.UpdatedAt >= from)
                    .OrderBy(r => r.UpdatedAt).ThenBy(r => r.Id).Take(100).ToListAsync(ct);
            }
            // Rollouts change far less often than jobs: they ride the same stream with their own
            // resume point, so a burst of job events never hides a rollout's pause.
            foreach (var rollout in rollouts)
            {
                if (rolloutsSent.TryGetValue(rollout.Id, out var at) && at == rollout.UpdatedAt)
                {
                    continue;
                }
                rolloutsSent[rollout.Id] = rollout.UpdatedAt;
                yield return new SseItem<object>(new { id = rollout.Id, name = rollout.Name, status = rollout.Status, statusReason = rollout.StatusReason, openedWave = rollout.OpenedWave, waveCount = rollout.WaveCount, updatedAt = rollout.UpdatedAt }, RolloutEvent)
                {
                    EventId = EventId(rollout.UpdatedAt < since ? rollout.UpdatedAt : since),
                };
            }
            if (rollouts.Count > 0)
            {
                rolloutsSince = rollouts[^1].UpdatedAt;
                foreach (var id in rolloutsSent.Where(e => e.Value < rolloutsSince).Select(e => e.Key).ToList())
                {
                    rolloutsSent.Remove(id);
                }
            }
            foreach (var job in changed)
            {
                if (sent.TryGetValue(job.Id, out var at) && at == job.UpdatedAt)
                {
                    continue;
                }
                sent[job.Id] = job.UpdatedAt;
                yield return new SseItem<object>(JobResponse.From(job), JobEvent) { EventId = EventId(job.UpdatedAt) };
            }
            var before = since;
            if (changed.Count > 0)
            {
                since = changed[^1].UpdatedAt;
                foreach (var id in sent.Where(e => e.Value < since).Select(e => e.Key).ToList())
                {
                    sent.Remove(id);
                }
            }
            if (changed.Count == 500 && since > before)
            {
                continue; // more are waiting: read on without pausing
            }
            try
            {
                await Task.Delay(PollInterval, time, ct);
            }
            catch (OperationCanceledException)
            {
                yield break;
            }
        }
    }
}
