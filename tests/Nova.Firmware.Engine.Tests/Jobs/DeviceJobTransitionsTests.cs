using Nova.Firmware.Domain.Jobs;

namespace Nova.Firmware.Engine.Tests.Jobs;

/// <summary>The one table of allowed device job transitions, checked as a whole.</summary>
public sealed class DeviceJobTransitionsTests
{
    public static TheoryData<DeviceJobStatus> AllStatuses() => new(Enum.GetValues<DeviceJobStatus>());

    public static TheoryData<DeviceJobStatus> ActiveStatuses() => new(Enum.GetValues<DeviceJobStatus>().Where(s => !Terminal.Contains(s)));

    private static readonly DeviceJobStatus[] Terminal = [DeviceJobStatus.Succeeded, DeviceJobStatus.Failed, DeviceJobStatus.Blocked, DeviceJobStatus.Cancelled];

    /// <summary>How far a job has got: a transition never lowers it. Pre-flight, waiting and clean-up share a phase (each comes back to pre-flight).</summary>
    private static int Phase(DeviceJobStatus status) => status switch
    {
        DeviceJobStatus.Queued => 0,
        DeviceJobStatus.Preflight => 1,
        DeviceJobStatus.CleaningUp => 1,
        DeviceJobStatus.Waiting => 1,
        DeviceJobStatus.Transferring => 2,
        DeviceJobStatus.Flashing => 3,
        DeviceJobStatus.Rebooting => 4,
        DeviceJobStatus.Verifying => 5,
        DeviceJobStatus.Succeeded => 6,
        DeviceJobStatus.Failed => 6,
        DeviceJobStatus.Blocked => 6,
        DeviceJobStatus.Cancelled => 6,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    [Theory]
    [MemberData(nameof(AllStatuses))]
    public void From_EveryStatus_HasARowInTheTable(DeviceJobStatus status)
    {
        var exits = DeviceJobTransitions.From(status);

        Assert.NotNull(exits);
        Assert.All(exits, to => Assert.True(Enum.IsDefined(to)));
        Assert.DoesNotContain(status, exits);
    }

    [Theory]
    [MemberData(nameof(AllStatuses))]
    public void IsTerminal_EveryStatus_OnlyTheFourEndStatusesAndTheyHaveNoExits(DeviceJobStatus status)
    {
        var expectedTerminal = Terminal.Contains(status);

        Assert.Equal(expectedTerminal, status.IsTerminal());
        Assert.Equal(expectedTerminal, DeviceJobTransitions.From(status).Count == 0);
        Assert.Equal(!expectedTerminal, DeviceJobTransitions.Active.Contains(status));
        if (expectedTerminal)
        {
            Assert.All(Enum.GetValues<DeviceJobStatus>(), to => Assert.False(DeviceJobTransitions.IsAllowed(status, to)));
        }
    }

    [Fact]
    public void Terminal_ListedStatuses_AreExactlyThoseWithNoExits()
    {
        Assert.Equal(Terminal.Order(), DeviceJobTransitions.Terminal.Order());
        Assert.All(Enum.GetValues<DeviceJobStatus>(), s => Assert.Equal(DeviceJobTransitions.Terminal.Contains(s), DeviceJobTransitions.From(s).Count == 0));
    }

    [Fact]
    public void IsAllowed_EveryAllowedPair_NeverGoesBackwards()
    {
        foreach (var from in Enum.GetValues<DeviceJobStatus>())
        {
            foreach (var to in DeviceJobTransitions.From(from))
            {
                Assert.True(Phase(to) >= Phase(from), $"{from} → {to} goes backwards.");
                if (Phase(to) == Phase(from))
                {
                    // The only same-phase moves: start a clean-up or a wait, and re-check after it.
                    Assert.Contains((from, to), new[]
                    {
                        (DeviceJobStatus.Preflight, DeviceJobStatus.CleaningUp), (DeviceJobStatus.CleaningUp, DeviceJobStatus.Preflight),
                        (DeviceJobStatus.Preflight, DeviceJobStatus.Waiting), (DeviceJobStatus.Waiting, DeviceJobStatus.Preflight),
                    });
                }
            }
        }
    }

    [Theory]
    [InlineData(DeviceJobStatus.Verifying, DeviceJobStatus.Transferring)]
    [InlineData(DeviceJobStatus.Verifying, DeviceJobStatus.Flashing)]
    [InlineData(DeviceJobStatus.Rebooting, DeviceJobStatus.Flashing)]
    [InlineData(DeviceJobStatus.Flashing, DeviceJobStatus.Transferring)]
    [InlineData(DeviceJobStatus.Transferring, DeviceJobStatus.Preflight)]
    [InlineData(DeviceJobStatus.Transferring, DeviceJobStatus.Queued)]
    [InlineData(DeviceJobStatus.Preflight, DeviceJobStatus.Queued)]
    [InlineData(DeviceJobStatus.Failed, DeviceJobStatus.Queued)]
    [InlineData(DeviceJobStatus.Blocked, DeviceJobStatus.Preflight)]
    [InlineData(DeviceJobStatus.Succeeded, DeviceJobStatus.Verifying)]
    public void IsAllowed_BackwardsMove_IsRefused(DeviceJobStatus from, DeviceJobStatus to) =>
        Assert.False(DeviceJobTransitions.IsAllowed(from, to));

    [Theory]
    [MemberData(nameof(AllStatuses))]
    public void IsCancellable_EveryStatus_OnlyBeforeFlashing(DeviceJobStatus status)
    {
        var beforeFlashing = status is DeviceJobStatus.Queued or DeviceJobStatus.Preflight or DeviceJobStatus.Waiting or DeviceJobStatus.CleaningUp or DeviceJobStatus.Transferring;

        Assert.Equal(beforeFlashing, status.IsCancellable());
        Assert.Equal(beforeFlashing, DeviceJobTransitions.IsAllowed(status, DeviceJobStatus.Cancelled));
    }

    [Theory]
    [MemberData(nameof(AllStatuses))]
    public void From_Queued_ReachesEveryStatus(DeviceJobStatus target) =>
        Assert.Contains(target, Reachable(DeviceJobStatus.Queued).Append(DeviceJobStatus.Queued));

    [Theory]
    [MemberData(nameof(ActiveStatuses))]
    public void From_EveryActiveStatus_CanStillFail(DeviceJobStatus status)
    {
        // Every active job can end: each reaches Failed (Queued via pre-flight), so a stuck step always has a way out.
        Assert.Contains(DeviceJobStatus.Failed, Reachable(status));
    }

    private static HashSet<DeviceJobStatus> Reachable(DeviceJobStatus from)
    {
        var seen = new HashSet<DeviceJobStatus>();
        var queue = new Queue<DeviceJobStatus>([from]);
        while (queue.TryDequeue(out var s))
        {
            foreach (var next in DeviceJobTransitions.From(s))
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
