using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Nova.Firmware.Engine.Options;

namespace Nova.Firmware.Engine.Jobs;

/// <summary>
/// Keeps a job's lease while a long command runs (a camera upload can outlast the lease). Renews at
/// a third of the lease; if a renewal finds the lease gone (the replica was too slow and another
/// took the job over), the command's token is cancelled so the two never push at once.
/// </summary>
public sealed class LeaseKeeper(IServiceScopeFactory scopes, IOptions<EngineOptions> options, TimeProvider time)
{
    public async Task<T> RunAsync<T>(long jobId, string owner, Func<CancellationToken, Task<T>> command, CancellationToken cancellationToken)
    {
        using var lost = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var done = new CancellationTokenSource();
        var lease = options.Value.LeaseDuration;
        var renewing = RenewAsync(jobId, owner, lease, lost, done.Token);
        try
        {
            return await command(lost.Token);
        }
        finally
        {
            await done.CancelAsync();
            await renewing;
        }
    }

    private async Task RenewAsync(long jobId, string owner, TimeSpan lease, CancellationTokenSource lost, CancellationToken done)
    {
        try
        {
            using var timer = new PeriodicTimer(lease / 3, time);
            while (await timer.WaitForNextTickAsync(done))
            {
                bool ours;
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    ours = await scope.ServiceProvider.GetRequiredService<DeviceJobStore>().RenewLeaseAsync(jobId, owner, lease, done);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // A failed write is not a lost lease: try again at the next tick, well before it runs out.
                    continue;
                }
                if (!ours)
                {
                    await lost.CancelAsync();
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (done.IsCancellationRequested)
        {
            // The command finished.
        }
    }
}
