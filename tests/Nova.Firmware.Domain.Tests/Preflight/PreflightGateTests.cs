using Nova.Firmware.Domain.Devices;
using Nova.Firmware.Domain.Packages;
using Nova.Firmware.Domain.Preflight;
using Nova.Firmware.Domain.Tests.Packages;

namespace Nova.Firmware.Domain.Tests.Preflight;

public sealed class PreflightGateTests
{
    private const long MiB = 1L << 20;

    private static PreflightVerdict Evaluate(PreflightInputBuilder input, PreflightOptions? options = null) =>
        new PreflightGate(options ?? new PreflightOptions()).Evaluate(input.Build());

    private static PreflightCheckResult Result(PreflightVerdict verdict, PreflightCheck check) => Assert.Single(verdict.Results, r => r.Check == check);

    [Fact]
    public void Evaluate_EverythingFine_ProceedsWithEveryCheckPassing()
    {
        var verdict = Evaluate(new PreflightInputBuilder());

        Assert.Equal(PreflightDecision.Proceed, verdict.Decision);
        Assert.Equal(Enum.GetValues<PreflightCheck>().Order(), verdict.Results.Select(r => r.Check).Order());
        Assert.All(verdict.Results, r => Assert.Equal(CheckOutcome.Pass, r.Outcome));
        Assert.Null(verdict.FirstBlock);
        Assert.Equal(0, verdict.BytesToFree);
    }

    [Fact]
    public void Evaluate_SmallImageFreeExactlyImagePlusFloor_SpacePasses()
    {
        // 10 MiB image: 5 % is 0.5 MiB, so the 8 MiB floor applies.
        var verdict = Evaluate(new PreflightInputBuilder().ImageSize(10 * MiB).FreeBytes(18 * MiB));

        Assert.Equal(CheckOutcome.Pass, Result(verdict, PreflightCheck.Space).Outcome);
        Assert.Equal(PreflightDecision.Proceed, verdict.Decision);
    }

    [Fact]
    public void Evaluate_SmallImageOneByteShortOfFloor_SpaceBlocksWithShortfall()
    {
        var verdict = Evaluate(new PreflightInputBuilder().ImageSize(10 * MiB).FreeBytes(18 * MiB - 1));

        var space = Result(verdict, PreflightCheck.Space);
        Assert.Equal(CheckOutcome.Block, space.Outcome);
        Assert.Contains("Short by 1 B", space.Reason);
        Assert.Contains("web UI or serial console", space.Reason);
        Assert.Equal(PreflightDecision.Block, verdict.Decision);
        Assert.Equal(1, verdict.BytesToFree);
        Assert.Same(space, verdict.FirstBlock);
    }

    [Fact]
    public void Evaluate_LargeImageFreeCoversFloorButNotFraction_SpaceBlocks()
    {
        const long image = 1L << 30;
        var fraction = (long)(image * 0.05);

        var floorOnly = Evaluate(new PreflightInputBuilder().ImageSize(image).FreeBytes(image + (8 * MiB)));
        var withFraction = Evaluate(new PreflightInputBuilder().ImageSize(image).FreeBytes(image + fraction));

        Assert.Equal(CheckOutcome.Block, Result(floorOnly, PreflightCheck.Space).Outcome);
        Assert.Equal(fraction - (8 * MiB), floorOnly.BytesToFree);
        Assert.Equal(CheckOutcome.Pass, Result(withFraction, PreflightCheck.Space).Outcome);
    }

    [Fact]
    public void Evaluate_CustomMargins_AreUsed()
    {
        var options = new PreflightOptions { SpaceMarginBytes = 0, SpaceMarginFraction = 0.5 };

        var verdict = Evaluate(new PreflightInputBuilder().ImageSize(100 * MiB).FreeBytes(149 * MiB), options);

        Assert.Equal(CheckOutcome.Block, Result(verdict, PreflightCheck.Space).Outcome);
        Assert.Equal(MiB, verdict.BytesToFree);
    }

    [Fact]
    public void Evaluate_FreeSpaceNotReported_SpaceUnknownAndStillProceeds()
    {
        var verdict = Evaluate(new PreflightInputBuilder().FreeBytes(null).CanCleanUp());

        var space = Result(verdict, PreflightCheck.Space);
        Assert.Equal(CheckOutcome.Unknown, space.Outcome);
        Assert.Contains("has not reported", space.Reason);
        Assert.Equal(PreflightDecision.Proceed, verdict.Decision);
        Assert.Equal(0, verdict.BytesToFree);
    }

    [Fact]
    public void Evaluate_OnlySpaceBlocksAndDriverCanCleanUp_DecidesCleanUp()
    {
        var verdict = Evaluate(new PreflightInputBuilder().ImageSize(10 * MiB).FreeBytes(10 * MiB).CanCleanUp());

        Assert.Equal(PreflightDecision.CleanUp, verdict.Decision);
        Assert.Equal(8 * MiB, verdict.BytesToFree);
        Assert.Contains("clean-up of logs", Result(verdict, PreflightCheck.Space).Reason);
    }

    [Fact]
    public void Evaluate_OnlySpaceBlocksButNoCleanUp_Blocks()
    {
        var verdict = Evaluate(new PreflightInputBuilder().ImageSize(10 * MiB).FreeBytes(10 * MiB).CanCleanUp(false));

        Assert.Equal(PreflightDecision.Block, verdict.Decision);
        Assert.Equal(PreflightCheck.Space, verdict.FirstBlock?.Check);
    }

    [Fact]
    public void Evaluate_SpaceAndAnotherCheckBlock_BlocksInsteadOfCleaningUp()
    {
        var verdict = Evaluate(new PreflightInputBuilder().ImageSize(10 * MiB).FreeBytes(10 * MiB).CanCleanUp().BlobCorrupted());

        Assert.Equal(PreflightDecision.Block, verdict.Decision);
    }

    [Fact]
    public void Evaluate_OnlyAnotherCheckBlocksAndDriverCanCleanUp_DoesNotCleanUp()
    {
        var verdict = Evaluate(new PreflightInputBuilder().CanCleanUp().Health(HealthStatus.Degraded));

        Assert.Equal(PreflightDecision.Block, verdict.Decision);
        Assert.Equal(PreflightCheck.Health, verdict.FirstBlock?.Check);
    }

    [Fact]
    public void Evaluate_IncompatibleWithAMatchingPackage_BlocksNamingIt()
    {
        var matching = new PackageBuilder().Version("1.9.0").Revisions("2.0").Build();

        var verdict = Evaluate(new PreflightInputBuilder().Incompatible("The package is for hardware revision '1.0', the device is revision '2.0'.", matching));

        var compatibility = Result(verdict, PreflightCheck.Compatibility);
        Assert.Equal(CheckOutcome.Block, compatibility.Outcome);
        Assert.Contains("revision '2.0'", compatibility.Reason);
        Assert.Contains($"Use package {matching.Id}", compatibility.Reason);
        Assert.Contains("1.9.0", compatibility.Reason);
        Assert.Equal(PreflightDecision.Block, verdict.Decision);
    }

    [Fact]
    public void Evaluate_IncompatibleWithNoMatchingPackage_BlocksSayingNoneMatches()
    {
        var verdict = Evaluate(new PreflightInputBuilder().Incompatible("The package is built for SoC 'CV25', the device has 'CV28'."));

        var compatibility = Result(verdict, PreflightCheck.Compatibility);
        Assert.Equal(CheckOutcome.Block, compatibility.Outcome);
        Assert.Contains("No package in the catalog matches", compatibility.Reason);
    }

    [Fact]
    public void Evaluate_BlobCorrupted_ChecksumBlocks()
    {
        var verdict = Evaluate(new PreflightInputBuilder().BlobCorrupted());

        var checksum = Result(verdict, PreflightCheck.Checksum);
        Assert.Equal(CheckOutcome.Block, checksum.Outcome);
        Assert.Contains("re-import", checksum.Reason);
        Assert.Equal(PreflightDecision.Block, verdict.Decision);
    }

    [Theory]
    [InlineData(SignatureCheck.Verified, "was verified on import (signed by CN=acme-release)")]
    [InlineData(SignatureCheck.NotChecked, "was not checked on import")]
    [InlineData(SignatureCheck.NotSigned, "It is not signed")]
    public void Evaluate_Bundle_ChecksumPassesAndTellsWhatIsKnownOfItsSignature(SignatureCheck check, string expected)
    {
        var verdict = Evaluate(new PreflightInputBuilder().Bundle(check, check == SignatureCheck.Verified ? "CN=acme-release" : null));

        var checksum = Result(verdict, PreflightCheck.Checksum);
        Assert.Equal(CheckOutcome.Pass, checksum.Outcome);
        Assert.Contains(expected, checksum.Reason);
    }

    [Fact]
    public void Evaluate_RawImage_ChecksumSaysNothingOfSignatures()
    {
        var checksum = Result(Evaluate(new PreflightInputBuilder()), PreflightCheck.Checksum);
        Assert.DoesNotContain("sign", checksum.Reason, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData(30, CheckOutcome.Wait)]
    [InlineData(59, CheckOutcome.Wait)]
    [InlineData(61, CheckOutcome.Pass)]
    [InlineData(600, CheckOutcome.Pass)]
    public void Evaluate_OwnPowerEventMinutesAgo_WaitsOnlyWithinWindow(int minutesAgo, CheckOutcome expected)
    {
        var verdict = Evaluate(new PreflightInputBuilder().OwnPowerEvent(TimeSpan.FromMinutes(minutesAgo)));

        var power = Result(verdict, PreflightCheck.Power);
        Assert.Equal(expected, power.Outcome);
        if (expected == CheckOutcome.Wait)
        {
            Assert.Contains("power-loss", power.Reason);
            // Re-checked when the hour since the event is over, not before and not never.
            Assert.Equal(PreflightInputBuilder.Now - TimeSpan.FromMinutes(minutesAgo) + TimeSpan.FromHours(1), power.RecheckAt);
            Assert.Equal(PreflightDecision.Wait, verdict.Decision);
            Assert.Equal(power.RecheckAt, verdict.RecheckAt);
        }
    }

    [Theory]
    [InlineData(10, CheckOutcome.Wait)]
    [InlineData(59, CheckOutcome.Wait)]
    [InlineData(61, CheckOutcome.Pass)]
    public void Evaluate_PowerEventOnSameFeedMinutesAgo_WaitsOnlyWithinWindow(int minutesAgo, CheckOutcome expected)
    {
        var verdict = Evaluate(new PreflightInputBuilder().PowerFeed("sw-07", TimeSpan.FromMinutes(minutesAgo)));

        var power = Result(verdict, PreflightCheck.Power);
        Assert.Equal(expected, power.Outcome);
        Assert.Contains("sw-07", power.Reason);
    }

    [Fact]
    public void Evaluate_FeedEventButDeviceHasNoFeed_PowerPasses()
    {
        var verdict = Evaluate(new PreflightInputBuilder().PowerFeed(null, TimeSpan.FromMinutes(5)));

        Assert.Equal(CheckOutcome.Pass, Result(verdict, PreflightCheck.Power).Outcome);
    }

    [Fact]
    public void Evaluate_ShorterPowerWindow_IsUsed()
    {
        var verdict = Evaluate(new PreflightInputBuilder().OwnPowerEvent(TimeSpan.FromMinutes(20)), new PreflightOptions { PowerEventWindow = TimeSpan.FromMinutes(15) });

        Assert.Equal(CheckOutcome.Pass, Result(verdict, PreflightCheck.Power).Outcome);
    }

    [Fact]
    public void Evaluate_NeverSeen_ReachabilityWaitsForFirstContact()
    {
        var verdict = Evaluate(new PreflightInputBuilder().LastSeen(null));

        var reachability = Result(verdict, PreflightCheck.Reachability);
        Assert.Equal(CheckOutcome.Wait, reachability.Outcome);
        Assert.Contains("never contacted", reachability.Reason);
        Assert.Equal(PreflightInputBuilder.Now + new PreflightOptions().WaitRecheckInterval, reachability.RecheckAt);
        Assert.Equal(PreflightDecision.Wait, verdict.Decision);
    }

    [Fact]
    public void Evaluate_DeviceRefusedCredentials_BlocksOnReachabilityNamingTheFix()
    {
        var verdict = Evaluate(new PreflightInputBuilder().Contact(DeviceContactOutcome.Unauthorized, "ter:NotAuthorized"));

        var reachability = Result(verdict, PreflightCheck.Reachability);
        Assert.Equal(CheckOutcome.Block, reachability.Outcome);
        Assert.Contains("credentials", reachability.Reason);
        Assert.Contains("ter:NotAuthorized", reachability.Reason);
        Assert.Equal(PreflightDecision.Block, verdict.Decision);
    }

    [Fact]
    public void Evaluate_DeviceDidNotAnswer_Waits()
    {
        var verdict = Evaluate(new PreflightInputBuilder().Contact(DeviceContactOutcome.Unreachable, "connection refused"));

        var reachability = Result(verdict, PreflightCheck.Reachability);
        Assert.Equal(CheckOutcome.Wait, reachability.Outcome);
        Assert.Contains("connection refused", reachability.Reason);
        Assert.Equal(PreflightDecision.Wait, verdict.Decision);
    }

    [Fact]
    public void Evaluate_MarkedOfflineButAnsweredJustNow_Proceeds()
    {
        var verdict = Evaluate(new PreflightInputBuilder().LastSeen(TimeSpan.FromHours(3)).Health(HealthStatus.Offline).Contact(DeviceContactOutcome.Answered));

        Assert.Equal(CheckOutcome.Pass, Result(verdict, PreflightCheck.Reachability).Outcome);
        Assert.Equal(CheckOutcome.Pass, Result(verdict, PreflightCheck.Health).Outcome);
        Assert.Equal(PreflightDecision.Proceed, verdict.Decision);
    }

    [Fact]
    public void Evaluate_PermanentAndTransientTogether_BlocksRatherThanWaits()
    {
        var verdict = Evaluate(new PreflightInputBuilder().LastSeen(null).Incompatible("Model C300 is not listed."));

        Assert.Equal(PreflightDecision.Block, verdict.Decision);
        Assert.Equal(PreflightCheck.Compatibility, verdict.FirstBlock!.Check);
    }

    [Fact]
    public void Evaluate_SpaceShortButDeviceAway_WaitsBeforeCleaningUp()
    {
        var verdict = Evaluate(new PreflightInputBuilder().ImageSize(100L << 20).FreeBytes(10L << 20).CanCleanUp().OwnPowerEvent(TimeSpan.FromMinutes(5)));

        Assert.Equal(PreflightDecision.Wait, verdict.Decision);
        Assert.Equal(CheckOutcome.Block, Result(verdict, PreflightCheck.Space).Outcome);
    }

    [Theory]
    [InlineData(0, CheckOutcome.Pass)]
    [InlineData(299, CheckOutcome.Pass)]
    [InlineData(300, CheckOutcome.Pass)]
    [InlineData(301, CheckOutcome.Wait)]
    [InlineData(7200, CheckOutcome.Wait)]
    public void Evaluate_LastSeenSecondsAgo_ReachableWithinWindow(int secondsAgo, CheckOutcome expected)
    {
        var verdict = Evaluate(new PreflightInputBuilder().LastSeen(TimeSpan.FromSeconds(secondsAgo)));

        Assert.Equal(expected, Result(verdict, PreflightCheck.Reachability).Outcome);
    }

    [Theory]
    [InlineData(HealthStatus.Healthy, CheckOutcome.Pass)]
    [InlineData(HealthStatus.Unknown, CheckOutcome.Unknown)]
    [InlineData(HealthStatus.Degraded, CheckOutcome.Block)]
    [InlineData(HealthStatus.Offline, CheckOutcome.Wait)]
    public void Evaluate_HealthStatus_MapsToOutcome(HealthStatus status, CheckOutcome expected)
    {
        var verdict = Evaluate(new PreflightInputBuilder().Health(status));

        Assert.Equal(expected, Result(verdict, PreflightCheck.Health).Outcome);
    }

    [Theory]
    [InlineData("recovery")]
    [InlineData("boot-loop")]
    public void Evaluate_BootModeNotNormal_HealthBlocks(string mode)
    {
        var verdict = Evaluate(new PreflightInputBuilder().BootMode(mode));

        var health = Result(verdict, PreflightCheck.Health);
        Assert.Equal(CheckOutcome.Block, health.Outcome);
        Assert.Contains(mode, health.Reason);
    }

    [Fact]
    public void Evaluate_NoReport_HealthFollowsInventoryAndPowerPasses()
    {
        var verdict = Evaluate(new PreflightInputBuilder().NoReport());

        Assert.Equal(PreflightDecision.Proceed, verdict.Decision);
    }

    [Fact]
    public void Evaluate_UnknownWithBlockOnUnknown_BlocksAndSaysWhy()
    {
        var verdict = Evaluate(new PreflightInputBuilder().FreeBytes(null), new PreflightOptions { BlockOnUnknown = true });

        Assert.Equal(PreflightDecision.Block, verdict.Decision);
        var space = Result(verdict, PreflightCheck.Space);
        Assert.Equal(CheckOutcome.Block, space.Outcome);
        Assert.Contains("unknown blocks by configuration", space.Reason);
        Assert.Same(space, verdict.FirstBlock);
    }

    [Fact]
    public void Evaluate_UnknownHealthWithBlockOnUnknown_DoesNotCleanUpForSpace()
    {
        var verdict = Evaluate(new PreflightInputBuilder().ImageSize(10 * MiB).FreeBytes(10 * MiB).CanCleanUp().Health(HealthStatus.Unknown),
            new PreflightOptions { BlockOnUnknown = true });

        Assert.Equal(PreflightDecision.Block, verdict.Decision);
    }

    [Fact]
    public void Evaluate_UnknownWithoutBlockOnUnknown_RecordedNotBlocking()
    {
        var verdict = Evaluate(new PreflightInputBuilder().Health(HealthStatus.Unknown));

        Assert.Equal(PreflightDecision.Proceed, verdict.Decision);
        Assert.Equal(CheckOutcome.Unknown, Result(verdict, PreflightCheck.Health).Outcome);
        Assert.Null(verdict.FirstBlock);
    }
}
