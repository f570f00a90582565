using Nova.Firmware.Domain.Common;
using Nova.Firmware.Domain.Recovery;

namespace Nova.Firmware.Engine.Tests.Recovery;

/// <summary>The one table of allowed rung changes, checked as a whole.</summary>
public sealed class RecoveryTransitionsTests
{
    public static TheoryData<RecoveryRung> AllRungs() => new(Enum.GetValues<RecoveryRung>());

    public static TheoryData<RecoveryRung> ActiveRungs() => new(Enum.GetValues<RecoveryRung>().Where(r => !r.IsTerminal()));

    [Theory]
    [MemberData(nameof(AllRungs))]
    public void From_EveryRung_HasARowInTheTable(RecoveryRung rung)
    {
        var exits = RecoveryTransitions.From(rung);

        Assert.NotNull(exits);
        Assert.All(exits, to => Assert.True(Enum.IsDefined(to)));
        Assert.DoesNotContain(rung, exits);
        Assert.Equal(exits.Count, exits.Distinct().Count());
    }

    [Fact]
    public void Terminal_ListedRungs_AreExactlyThoseWithNoWayOut()
    {
        var noWayOut = Enum.GetValues<RecoveryRung>().Where(r => RecoveryTransitions.From(r).Count == 0).Order();

        Assert.Equal(noWayOut, RecoveryTransitions.Terminal.Order());
        Assert.Equal(RecoveryTransitions.Terminal.Count, RecoveryTransitions.Terminal.Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(AllRungs))]
    public void IsTerminal_TerminalRung_AllowsNoMoveAtAll(RecoveryRung rung)
    {
        Assert.Equal(RecoveryTransitions.Terminal.Contains(rung), rung.IsTerminal());
        if (rung.IsTerminal())
        {
            Assert.All(Enum.GetValues<RecoveryRung>(), to => Assert.False(RecoveryTransitions.IsAllowed(rung, to)));
        }
    }

    [Theory]
    [MemberData(nameof(ActiveRungs))]
    public void From_EveryActiveRung_ReachesAnEndAndCanBeClosed(RecoveryRung rung)
    {
        var reachable = Reachable(rung);

        Assert.Contains(reachable, r => r.IsTerminal());
        // An operator can always stop a run, wherever it stands.
        Assert.True(RecoveryTransitions.IsAllowed(rung, RecoveryRung.Closed));
    }

    [Fact]
    public void Diagnosing_EveryRungButDiagnosingIsReachableFromIt()
    {
        var reachable = Reachable(RecoveryRung.Diagnosing);

        Assert.Equal(Enum.GetValues<RecoveryRung>().Where(r => r != RecoveryRung.Diagnosing).Order(), reachable.Order());
    }

    [Fact]
    public void WireNames_AreUniqueAndEveryRungHasOne()
    {
        var names = Enum.GetValues<RecoveryRung>().Select(r => r.ToWire()).ToList();

        Assert.Equal(names.Count, names.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.All(names, n => Assert.Matches("^[a-z]+(-[a-z]+)*$", n));
        Assert.All(Enum.GetValues<RecoveryRung>(), r => Assert.Equal(r, WireNames.Parse<RecoveryRung>(r.ToWire())));
        Assert.Equal(Enum.GetValues<RecoveryRung>().Length, Enum.GetValues<RecoveryRung>().Select(r => (int)r).Distinct().Count());
    }

    [Fact]
    public void TechnicianTaskStatus_WireNamesAreUnique()
    {
        var names = Enum.GetValues<TechnicianTaskStatus>().Select(s => s.ToWire()).ToList();

        Assert.Equal(names.Count, names.Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    private static HashSet<RecoveryRung> Reachable(RecoveryRung from)
    {
        var seen = new HashSet<RecoveryRung>();
        var queue = new Queue<RecoveryRung>([from]);
        while (queue.TryDequeue(out var rung))
        {
            foreach (var next in RecoveryTransitions.From(rung))
            {
                if (seen.Add(next))
                {
                    queue.Enqueue(next);
                }
            }
        }
        return seen;
    }
}
