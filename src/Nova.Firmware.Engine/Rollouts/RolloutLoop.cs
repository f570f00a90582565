using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Nova.Firmware.Engine.Options;

namespace Nova.Firmware.Engine.Rollouts;

/// <summary>
/// The rollout reconcile loop: claims due rollouts with a lease and steps each (a step reads
/// tallies and starts at most a batch of device jobs, so it is short). Any number of replicas may
/// run it against one database; the lease and compare-and-set writes keep them apart, and a dead
/// replica's rollouts are taken over when its lease expires.
/// </summary>
public sealed partial class RolloutLoop(IServiceScopeFactory scopes, IOptions<RolloutOptions> options, IOptions<EngineOptions> engine, ILogger<RolloutLoop> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var stepped = 0;
            try
            {
                stepped = await PassAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                LogPassFailed(log, e);
            }
            if (stepped > 0)
            {
                continue;
            }
            try
            {
                await Task.Delay(options.Value.TickInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    /// <summary>One pass: claim what is due and step each. Returns how many were stepped.</summary>
    public async Task<int> PassAsync(CancellationToken cancellationToken)
    {
        var owner = engine.Value.ReplicaId;
        IReadOnlyList<long> claimed;
        await using (var scope = scopes.CreateAsyncScope())
        {
            claimed = await scope.ServiceProvider.GetRequiredService<RolloutStore>().ClaimDueAsync(owner, options.Value.LeaseDuration, options.Value.BatchSize, cancellationToken);
        }
        foreach (var rolloutId in claimed)
        {
            await using var scope = scopes.CreateAsyncScope();
            try
            {
                await scope.ServiceProvider.GetRequiredService<RolloutStepper>().StepAsync(rolloutId, owner, cancellationToken);
                await scope.ServiceProvider.GetRequiredService<RolloutStore>().ReleaseLeaseAsync(rolloutId, owner, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception e)
            {
                // The lease expires and the step runs again; every write is a compare-and-set.
                LogStepFailed(log, rolloutId, e);
            }
        }
        return claimed.Count;
    }

    [LoggerMessage(EventId = 2410, Level = LogLevel.Error, Message = "Rollout loop pass failed")]
    private static partial void LogPassFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2411, Level = LogLevel.Error, Message = "Step of rollout {RolloutId} failed; it is retried when its lease expires")]
    private static partial void LogStepFailed(ILogger logger, long rolloutId, Exception exception);
}
