using Nova.Firmware.Domain.Diagnosis;
using Nova.Firmware.Domain.Preflight;
using Nova.Firmware.Domain.Rollouts;

namespace Nova.Firmware.Domain.Tests.Rollouts;

/// <summary>The rollout's pure rules: windows in time zones, retry backoff, wave sizes, the decision table, the power budget.</summary>
public sealed class RolloutRulesTests
{
    private static readonly DateTimeOffset Noon = new(2026, 3, 28, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Window_InsideAndOutside_SaysWhenItClosesOrOpens()
    {
        var window = new MaintenanceWindow { Schedule = "0 2 * * *", Duration = TimeSpan.FromHours(2), TimeZone = "UTC" };

        Assert.Equal(new WindowState(false, null, new DateTimeOffset(2026, 3, 29, 2, 0, 0, TimeSpan.Zero)), window.At(Noon));
        Assert.Equal(new WindowState(true, new DateTimeOffset(2026, 3, 29, 4, 0, 0, TimeSpan.Zero), null), window.At(new DateTimeOffset(2026, 3, 29, 2, 30, 0, TimeSpan.Zero)));
        Assert.False(window.At(new DateTimeOffset(2026, 3, 29, 4, 0, 0, TimeSpan.Zero)).IsOpen);
    }

    [Fact]
    public void Window_LocalTimeZone_FollowsDaylightSaving()
    {
        // 02:00 in Berlin: 01:00 UTC in winter, 00:00 UTC after the switch on 29 March 2026.
        var window = new MaintenanceWindow { Schedule = "0 2 * * *", Duration = TimeSpan.FromHours(1), TimeZone = "Europe/Berlin" };

        Assert.Equal(new DateTimeOffset(2026, 3, 28, 1, 0, 0, TimeSpan.Zero), window.At(new DateTimeOffset(2026, 3, 27, 12, 0, 0, TimeSpan.Zero)).OpensAt!.Value.ToUniversalTime());
        Assert.Equal(new DateTimeOffset(2026, 3, 30, 0, 0, 0, TimeSpan.Zero), window.At(new DateTimeOffset(2026, 3, 29, 12, 0, 0, TimeSpan.Zero)).OpensAt!.Value.ToUniversalTime());
    }

    [Theory]
    [InlineData("every night", "01:00:00", "UTC")]
    [InlineData("0 2 * * *", "00:00:10", "UTC")]
    [InlineData("0 2 * * *", "01:00:00", "Mars/Olympus")]
    public void Window_Invalid_ProblemSaysWhat(string schedule, string duration, string zone)
    {
        var window = new MaintenanceWindow { Schedule = schedule, Duration = TimeSpan.Parse(duration, System.Globalization.CultureInfo.InvariantCulture), TimeZone = zone };

        Assert.Single(window.Problems());
    }

    [Fact]
    public void Retry_BacksOffDoublingUpToTheCap_ThenStops()
    {
        var retry = new RetryPolicy { MaxAttempts = 4, Backoff = TimeSpan.FromMinutes(5), MaxBackoff = TimeSpan.FromMinutes(15) };

        Assert.Equal(Noon + TimeSpan.FromMinutes(5), retry.NextAttemptAt(1, FailureCause.PowerLoss, null, false, Noon));
        Assert.Equal(Noon + TimeSpan.FromMinutes(10), retry.NextAttemptAt(2, FailureCause.PowerLoss, null, false, Noon));
        Assert.Equal(Noon + TimeSpan.FromMinutes(15), retry.NextAttemptAt(3, FailureCause.PowerLoss, null, false, Noon));
        Assert.Null(retry.NextAttemptAt(4, FailureCause.PowerLoss, null, false, Noon));
    }

    [Theory]
    [InlineData(FailureCause.WrongHardware, null, false, false)]
    [InlineData(FailureCause.BootFailure, null, false, true)]
    [InlineData(null, PreflightCheck.Power, true, true)]
    [InlineData(null, PreflightCheck.Reachability, true, true)]
    [InlineData(null, PreflightCheck.Compatibility, true, false)]
    [InlineData(null, PreflightCheck.Checksum, true, false)]
    [InlineData(null, PreflightCheck.Space, true, false)]
    public void Retry_OnlyWhereAnotherAttemptCouldEndDifferently(FailureCause? cause, PreflightCheck? check, bool blocked, bool retryable) =>
        Assert.Equal(retryable, RetryPolicy.IsRetryable(cause, check, blocked));

    [Fact]
    public void Waves_ByPercent_RoundUpAndCoverEveryDevice()
    {
        var devices = Enumerable.Range(0, 10).Select(i => new WaveCandidate(Guid.NewGuid(), "GW-100", "1.0")).ToList();

        var plan = WavePlan.Assign(devices, new RolloutStrategy { CanaryCount = 1, WavePercent = 30 });

        Assert.Equal(4, plan.WaveCount); // canary, then 9 devices in waves of 3 (30% of 9, rounded up)
        Assert.Equal([1, 3, 3, 3], plan.Waves.Values.GroupBy(w => w).OrderBy(g => g.Key).Take(4).Select(g => g.Count()));
        Assert.Equal(10, plan.Waves.Count);
    }

    [Fact]
    public void Decide_ThresholdByPercentOfOpenedWaves_PausesOnlyOnNewFailures()
    {
        var rollout = new Rollout { Name = "r", CreatedBy = "t", OpenedWave = 0, WaveCount = 3, Strategy = new RolloutStrategy { ErrorThresholdPercent = 20 } };
        var tallies = new[] { new WaveTally(0) { Total = 10, Failed = 2, Active = 8 }, new WaveTally(1) { Total = 10, Pending = 10 } };

        Assert.Equal(RolloutMove.Pause, RolloutAdvance.Decide(rollout, tallies).Move);
        rollout.AcknowledgedFailures = 2;
        Assert.Equal(RolloutMove.Dispatch, RolloutAdvance.Decide(rollout, tallies).Move);
    }

    [Fact]
    public void PowerFeed_AdmitsWhileWithinBudget_CountsWhereBudgetUnknown()
    {
        var feed = new PowerFeedLoad("sw-1", 40, 32, 0);

        Assert.True(feed.Admits(5, 1));
        Assert.False(feed.With(5).Admits(5, 1));
        Assert.True(new PowerFeedLoad("sw-2", null, 0, 1).Admits(100, 2));
        Assert.False(new PowerFeedLoad("sw-2", null, 0, 2).Admits(0, 2));
    }
}
