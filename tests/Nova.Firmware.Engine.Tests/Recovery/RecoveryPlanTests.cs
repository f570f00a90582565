using Nova.Firmware.Domain.Diagnosis;
using Nova.Firmware.Domain.Recovery;

namespace Nova.Firmware.Engine.Tests.Recovery;

/// <summary>The retry policy chosen by cause: one entry per cause, entering where diagnosing can go.</summary>
public sealed class RecoveryPlanTests
{
    public static TheoryData<FailureCause> AllCauses() => new(Enum.GetValues<FailureCause>());

    [Theory]
    [MemberData(nameof(AllCauses))]
    public void For_EveryCause_HasExactlyOneEntry(FailureCause cause)
    {
        Assert.Single(RecoveryPlan.Entries, e => e.Cause == cause);
        Assert.Equal(cause, RecoveryPlan.For(cause).Cause);
    }

    [Fact]
    public void Entries_OnlyKnownCauses()
    {
        Assert.Equal(Enum.GetValues<FailureCause>().Order(), RecoveryPlan.Entries.Select(e => e.Cause).Order());
    }

    [Theory]
    [MemberData(nameof(AllCauses))]
    public void For_EveryCause_EntersWhereDiagnosingMayGoWithABoundedRetryCountAndAReason(FailureCause cause)
    {
        var entry = RecoveryPlan.For(cause);

        Assert.True(RecoveryTransitions.IsAllowed(RecoveryRung.Diagnosing, entry.Entry), $"{cause} enters at {entry.Entry}");
        Assert.False(entry.Entry.IsTerminal());
        Assert.InRange(entry.MaxRetries, 0, 3);
        Assert.False(string.IsNullOrWhiteSpace(entry.Why));
    }

    [Fact]
    public void WrongHardware_NeverRetriesTheSamePackage()
    {
        var entry = RecoveryPlan.For(FailureCause.WrongHardware);

        // The only job it may start is the proposed package, and only after an operator's approval.
        Assert.Equal(RecoveryRung.AwaitingApproval, entry.Entry);
        Assert.Equal([RecoveryRung.Retrying, RecoveryRung.Blocked, RecoveryRung.Closed], RecoveryTransitions.From(RecoveryRung.AwaitingApproval));
    }

    [Fact]
    public void Unknown_RetriesNothing()
    {
        Assert.Equal(0, RecoveryPlan.For(FailureCause.Unknown).MaxRetries);
    }

    [Fact]
    public void For_UndefinedCause_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => RecoveryPlan.For((FailureCause)99));
    }
}
