using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Nova.Firmware.Engine.Options;

namespace Nova.Firmware.Engine.Recovery;

/// <summary>
/// The recovery reconcile loop: claims due recovery runs with a lease and steps them one after
/// another (a rung's step is a look and at most one short command). Any number of replicas may run
/// it; leases and compare-and-set moves keep them apart, as for device jobs.
/// </summary>
public sealed partial class RecoveryLoop(IServiceScopeFactory scopes, IOptions<RecoveryOptions> options, IOptions<EngineOptions> engine, ILogger<RecoveryLoop> log) : BackgroundService
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
            claimed = await scope.ServiceProvider.GetRequiredService<RecoveryStore>().ClaimDueAsync(owner, options.Value.LeaseDuration, options.Value.BatchSize, cancellationToken);
        }
        foreach (var runId in claimed)
        {
            await using var scope = scopes.CreateAsyncScope();
            try
            {
                await scope.ServiceProvider.GetRequiredService<RecoveryStepper>().StepAsync(runId, owner, cancellationToken);
                await scope.ServiceProvider.GetRequiredService<RecoveryStore>().ReleaseLeaseAsync(runId, owner, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception e)
            {
                // The lease expires and the step runs again; every move is one transaction.
                LogStepFailed(log, runId, e);
            }
        }
        return claimed.Count;
    }

    [LoggerMessage(EventId = 2202, Level = LogLevel.Error, Message = "Recovery loop pass failed")]
    private static partial void LogPassFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2203, Level = LogLevel.Error, Message = "Step of recovery run {RunId} failed; it is retried when its lease expires")]
    private static partial void LogStepFailed(ILogger logger, long runId, Exception exception);
}
