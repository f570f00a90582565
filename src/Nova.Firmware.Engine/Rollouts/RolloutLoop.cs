using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Nova.Firmware.Engine.Leasing;
using Nova.Firmware.Engine.Options;

namespace Nova.Firmware.Engine.Rollouts;

/// <summary>
/// The rollout reconcile loop: claims due rollouts with a lease and steps each (a step reads
/// tallies and starts at most a batch of device jobs, so it is short). Any number of replicas may
/// run it against one database; the lease and compare-and-set writes keep them apart, and a dead
/// replica's rollouts are taken over when its lease expires.
/// </summary>
public sealed class RolloutLoop(IServiceScopeFactory scopes, IOptions<RolloutOptions> options, IOptions<EngineOptions> engine, ILogger<RolloutLoop> log)
    : LeasedLoop(scopes, log)
{
    protected override string WorkName => "rollout";
    protected override string Owner => engine.Value.ReplicaId;
    protected override TimeSpan TickInterval => options.Value.TickInterval;

    protected override Task<IReadOnlyList<long>> ClaimAsync(IServiceProvider services, string owner, CancellationToken cancellationToken) =>
        services.GetRequiredService<RolloutStore>().ClaimDueAsync(owner, options.Value.LeaseDuration, options.Value.BatchSize, cancellationToken);

    protected override async Task StepAsync(IServiceProvider services, long id, string owner, CancellationToken cancellationToken)
    {
        await services.GetRequiredService<RolloutStepper>().StepAsync(id, owner, cancellationToken);
        await services.GetRequiredService<RolloutStore>().ReleaseLeaseAsync(id, owner, cancellationToken);
    }
}
