namespace Nova.Firmware.Domain.Recovery;

/// <summary>
/// The one table of allowed rung changes, asked before every move (the store writes each move as a
/// compare-and-set on the expected rung). Any rung may end in blocked, technician or closed; the
/// rest follows the ladder's order, with verifying and retrying as the loops back.
/// </summary>
public static class RecoveryTransitions
{
    /// <summary>Where a run ends. Listed, not derived, so that a new rung never silently becomes terminal.</summary>
    public static IReadOnlyList<RecoveryRung> Terminal { get; } =
        [RecoveryRung.Recovered, RecoveryRung.Blocked, RecoveryRung.Rma, RecoveryRung.Closed];

    private static readonly Dictionary<RecoveryRung, RecoveryRung[]> Allowed = new()
    {
        [RecoveryRung.Diagnosing] = [RecoveryRung.CleaningUp, RecoveryRung.Retrying, RecoveryRung.WaitingForSelfRecovery, RecoveryRung.BootingRecovery,
            RecoveryRung.Verifying, RecoveryRung.AwaitingApproval, RecoveryRung.AwaitingTechnician, RecoveryRung.Blocked, RecoveryRung.Closed],
        [RecoveryRung.CleaningUp] = [RecoveryRung.Retrying, RecoveryRung.Blocked, RecoveryRung.AwaitingTechnician, RecoveryRung.Closed],
        [RecoveryRung.Retrying] = [RecoveryRung.Recovered, RecoveryRung.Verifying, RecoveryRung.BootingRecovery, RecoveryRung.WaitingForSelfRecovery,
            RecoveryRung.Blocked, RecoveryRung.AwaitingTechnician, RecoveryRung.Closed],
        [RecoveryRung.WaitingForSelfRecovery] = [RecoveryRung.Verifying, RecoveryRung.BootingRecovery, RecoveryRung.Reflashing, RecoveryRung.AwaitingTechnician, RecoveryRung.Blocked, RecoveryRung.Closed],
        [RecoveryRung.BootingRecovery] = [RecoveryRung.Reflashing, RecoveryRung.Verifying, RecoveryRung.AwaitingTechnician, RecoveryRung.Blocked, RecoveryRung.Closed],
        [RecoveryRung.Reflashing] = [RecoveryRung.Verifying, RecoveryRung.AwaitingTechnician, RecoveryRung.Blocked, RecoveryRung.Closed],
        [RecoveryRung.Verifying] = [RecoveryRung.Recovered, RecoveryRung.Retrying, RecoveryRung.BootingRecovery, RecoveryRung.AwaitingTechnician, RecoveryRung.Blocked, RecoveryRung.Closed],
        [RecoveryRung.AwaitingApproval] = [RecoveryRung.Retrying, RecoveryRung.Blocked, RecoveryRung.Closed],
        [RecoveryRung.AwaitingTechnician] = [RecoveryRung.Verifying, RecoveryRung.Rma, RecoveryRung.Closed],
        [RecoveryRung.Recovered] = [],
        [RecoveryRung.Blocked] = [],
        [RecoveryRung.Rma] = [],
        [RecoveryRung.Closed] = [],
    };

    public static bool IsAllowed(RecoveryRung from, RecoveryRung to) => Allowed[from].Contains(to);

    public static IReadOnlyList<RecoveryRung> From(RecoveryRung rung) => Allowed[rung];

    public static bool IsTerminal(this RecoveryRung rung) => Terminal.Contains(rung);
}
