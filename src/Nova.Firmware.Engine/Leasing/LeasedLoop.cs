using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Nova.Firmware.Engine.Leasing;

/// <summary>
/// A reconcile loop over leased work that steps one item after another (recovery runs, rollouts:
/// each step is a look and at most a short batch of writes): claim what is due, step each in its
/// own scope, give the lease back, and look again at once while there was work, else after the
/// tick. A step that throws keeps its lease until it expires; then any replica runs it again.
/// </summary>
public abstract partial class LeasedLoop(IServiceScopeFactory scopes, ILogger log) : BackgroundService
{
    /// <summary>What the loop steps, for its log lines ("recovery run", "rollout").</summary>
    protected abstract string WorkName { get; }
    protected abstract string Owner { get; }
    protected abstract TimeSpan TickInterval { get; }

    protected abstract Task<IReadOnlyList<long>> ClaimAsync(IServiceProvider services, string owner, CancellationToken cancellationToken);

    /// <summary>Runs one step of <paramref name="id"/> and gives its lease back.</summary>
    protected abstract Task StepAsync(IServiceProvider services, long id, string owner, CancellationToken cancellationToken);

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
                LogPassFailed(log, WorkName, e);
            }
            if (stepped > 0)
            {
                continue;
            }
            try
            {
                await Task.Delay(TickInterval, stoppingToken);
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
        var owner = Owner;
        IReadOnlyList<long> claimed;
        await using (var scope = scopes.CreateAsyncScope())
        {
            claimed = await ClaimAsync(scope.ServiceProvider, owner, cancellationToken);
        }
        foreach (var id in claimed)
        {
            await using var scope = scopes.CreateAsyncScope();
            try
            {
                await StepAsync(scope.ServiceProvider, id, owner, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception e)
            {
                // The lease expires and the step runs again; every write is a compare-and-set in one transaction.
                LogStepFailed(log, WorkName, id, e);
            }
        }
        return claimed.Count;
    }

    [LoggerMessage(EventId = 2202, Level = LogLevel.Error, Message = "The {Work} loop's pass failed")]
    private static partial void LogPassFailed(ILogger logger, string work, Exception exception);

    [LoggerMessage(EventId = 2203, Level = LogLevel.Error, Message = "Step of {Work} {Id} failed; it is retried when its lease expires")]
    private static partial void LogStepFailed(ILogger logger, string work, long id, Exception exception);
}
