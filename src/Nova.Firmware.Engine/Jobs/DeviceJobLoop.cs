using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Nova.Firmware.Engine.Options;

namespace Nova.Firmware.Engine.Jobs;

/// <summary>
/// The device job reconcile loop: claims due jobs with a lease and steps them, up to
/// <see cref="EngineOptions.MaxConcurrentSteps"/> at once. A step that takes long (a camera upload)
/// runs beside the others and never holds up claiming: the loop claims only as many jobs as it has
/// free slots. Any number of replicas may run it against one database; the lease and the
/// compare-and-set writes keep them from stepping on each other, and a crashed replica's leases
/// simply expire.
/// </summary>
public sealed partial class DeviceJobLoop(IServiceScopeFactory scopes, JobWakeup wakeup, IOptions<EngineOptions> options, ILogger<DeviceJobLoop> log) : BackgroundService
{
    private readonly Dictionary<long, Task> _running = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        LogStarted(log, o.ReplicaId);
        while (!stoppingToken.IsCancellationRequested)
        {
            var claimed = 0;
            try
            {
                claimed = await ClaimAndStartAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                LogLoopFailed(log, e);
            }
            if (claimed > 0 && _running.Count < o.MaxConcurrentSteps)
            {
                continue;
            }
            try
            {
                // Wait for news, a free slot, or the tick, whichever comes first.
                var waitForNews = wakeup.WaitAsync(o.TickInterval, stoppingToken);
                await (_running.Count >= o.MaxConcurrentSteps ? Task.WhenAny(Task.WhenAny(_running.Values), waitForNews) : waitForNews);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        // Let steps in flight end on the stopping token; their leases expire if they cannot.
        await Task.WhenAll(_running.Values);
    }

    /// <summary>Claims what is due, up to the free slots, and starts a step for each. Returns how many were claimed.</summary>
    private async Task<int> ClaimAndStartAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        foreach (var done in _running.Where(r => r.Value.IsCompleted).Select(r => r.Key).ToList())
        {
            _running.Remove(done);
        }
        var free = Math.Min(o.BatchSize, o.MaxConcurrentSteps - _running.Count);
        if (free <= 0)
        {
            return 0;
        }
        IReadOnlyList<long> claimed;
        await using (var scope = scopes.CreateAsyncScope())
        {
            claimed = await scope.ServiceProvider.GetRequiredService<DeviceJobStore>().ClaimDueAsync(o.ReplicaId, o.LeaseDuration, free, stoppingToken, _running.Keys);
        }
        foreach (var jobId in claimed)
        {
            _running[jobId] = Task.Run(() => StepAsync(jobId, stoppingToken), CancellationToken.None);
        }
        return claimed.Count;
    }

    private async Task StepAsync(long jobId, CancellationToken cancellationToken)
    {
        var owner = options.Value.ReplicaId;
        await using var scope = scopes.CreateAsyncScope();
        try
        {
            await scope.ServiceProvider.GetRequiredService<DeviceJobStepper>().StepAsync(jobId, owner, cancellationToken);
            await scope.ServiceProvider.GetRequiredService<DeviceJobStore>().ReleaseLeaseAsync(jobId, owner, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: the lease expires and another replica (or this one, restarted) runs the step again.
        }
        catch (Exception e)
        {
            // The step is retried when the lease expires; the job is never left half-written
            // because every transition is one transaction.
            LogStepFailed(log, jobId, e);
        }
        finally
        {
            // A finished step frees a slot and usually left its job due again: look at once.
            wakeup.Wake();
        }
    }

    [LoggerMessage(EventId = 2100, Level = LogLevel.Information, Message = "Device job loop started as replica {ReplicaId}")]
    private static partial void LogStarted(ILogger logger, string replicaId);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Error, Message = "Device job loop pass failed")]
    private static partial void LogLoopFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Error, Message = "Step of device job {JobId} failed; it is retried when its lease expires")]
    private static partial void LogStepFailed(ILogger logger, long jobId, Exception exception);
}
