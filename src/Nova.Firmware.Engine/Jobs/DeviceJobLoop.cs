using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Nova.Firmware.Engine.Options;

namespace Nova.Firmware.Engine.Jobs;

/// <summary>
/// The device job reconcile loop: claims due jobs with a lease, runs one step each, repeats.
/// Any number of replicas may run it against one database; the lease and the compare-and-set
/// writes keep them from stepping on each other, and a crashed replica's leases simply expire.
/// </summary>
public sealed partial class DeviceJobLoop(IServiceScopeFactory scopes, JobWakeup wakeup, IOptions<EngineOptions> options, ILogger<DeviceJobLoop> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        LogStarted(log, o.ReplicaId);
        while (!stoppingToken.IsCancellationRequested)
        {
            var worked = 0;
            try
            {
                worked = await RunOnceAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                LogLoopFailed(log, e);
            }
            if (worked == 0)
            {
                try
                {
                    await wakeup.WaitAsync(o.TickInterval, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
    }

    /// <summary>One pass: claim what is due and step each job. Returns how many jobs were stepped.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        IReadOnlyList<long> claimed;
        await using (var scope = scopes.CreateAsyncScope())
        {
            claimed = await scope.ServiceProvider.GetRequiredService<DeviceJobStore>().ClaimDueAsync(o.ReplicaId, o.LeaseDuration, o.BatchSize, cancellationToken);
        }
        foreach (var jobId in claimed)
        {
            await using var scope = scopes.CreateAsyncScope();
            try
            {
                await scope.ServiceProvider.GetRequiredService<DeviceJobStepper>().StepAsync(jobId, o.ReplicaId, cancellationToken);
                await scope.ServiceProvider.GetRequiredService<DeviceJobStore>().ReleaseLeaseAsync(jobId, o.ReplicaId, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // The step is retried when the lease expires; the job is never left half-written
                // because every transition is one transaction.
                LogStepFailed(log, jobId, e);
            }
        }
        return claimed.Count;
    }

    [LoggerMessage(EventId = 2100, Level = LogLevel.Information, Message = "Device job loop started as replica {ReplicaId}")]
    private static partial void LogStarted(ILogger logger, string replicaId);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Error, Message = "Device job loop pass failed")]
    private static partial void LogLoopFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Error, Message = "Step of device job {JobId} failed; it is retried when its lease expires")]
    private static partial void LogStepFailed(ILogger logger, long jobId, Exception exception);
}
