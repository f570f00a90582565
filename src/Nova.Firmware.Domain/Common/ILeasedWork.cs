namespace Nova.Firmware.Domain.Common;

/// <summary>
/// Work the reconcile loops claim with a lease: device jobs, recovery runs and rollouts. One shape,
/// so one claim, release and renewal serve them all (see the engine's <c>LeasedWork</c>).
/// </summary>
public interface ILeasedWork
{
    long Id { get; }
    DateTimeOffset NextActionAt { get; }
    string? LeaseOwner { get; }
    DateTimeOffset? LeaseUntil { get; }
}
