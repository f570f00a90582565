using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Nova.Firmware.Engine.Leasing;
using Nova.Firmware.Engine.Options;

namespace Nova.Firmware.Engine.Recovery;

/// <summary>
/// The recovery reconcile loop: claims due recovery runs with a lease and steps them one after
/// another (a rung's step is a look and at most one short command). Any number of replicas may run
/// it; leases and compare-and-set moves keep them apart, as for device jobs.
/// </summary>
public sealed class RecoveryLoop(IServiceScopeFactory scopes, IOptions<RecoveryOptions> options, IOptions<EngineOptions> engine, ILogger<RecoveryLoop> log)
    : LeasedLoop(scopes, log)
{
    protected override string WorkName => "recovery run";
    protected override string Owner => engine.Value.ReplicaId;
    protected override TimeSpan TickInterval => options.Value.TickInterval;

    protected override Task<IReadOnlyList<long>> ClaimAsync(IServiceProvider services, string owner, CancellationToken cancellationToken) =>
        services.GetRequiredService<RecoveryStore>().ClaimDueAsync(owner, options.Value.LeaseDuration, options.Value.BatchSize, cancellationToken);

    protected override async Task StepAsync(IServiceProvider services, long id, string owner, CancellationToken cancellationToken)
    {
        await services.GetRequiredService<RecoveryStepper>().StepAsync(id, owner, cancellationToken);
        await services.GetRequiredService<RecoveryStore>().ReleaseLeaseAsync(id, owner, cancellationToken);
    }
}
