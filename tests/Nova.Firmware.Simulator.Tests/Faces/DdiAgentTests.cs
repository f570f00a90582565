using Nova.Firmware.Protocols.Ddi;
using Nova.Firmware.Simulator.Devices;
using Nova.Firmware.Simulator.Faults;
using Nova.Firmware.Simulator.Fleet;
using Nova.Firmware.Simulator.Tests.Infrastructure;

namespace Nova.Firmware.Simulator.Tests.Faces;

public sealed class DdiAgentTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private static FleetDefinition Fleet(FakeHawkbitServer server, params DeviceSpec[] devices)
    {
        var fleet = TestFleet.Of(devices);
        fleet.Ddi.ServerUrl = server.BaseUrl;
        fleet.Ddi.RetryWaitSeconds = 5;
        return fleet;
    }

    private static string Details(DdiActionFeedback feedback) => string.Join(" | ", feedback.Status.Details ?? []);

    [Fact]
    public async Task Poll_SwuBundleOffered_InstallsRebootsAndReportsSuccessOnlyAfterGoodBoot()
    {
        await using var server = await FakeHawkbitServer.StartAsync();
        await using var sim = await TestFleet.StartAsync(Fleet(server, TestFleet.Gateway("gw-1")));
        server.Offer("gw-1", "42", "update.swu", SwuBuilder.Build("2.0.0", ["1.0"], TestFleet.GatewayImage("2.0.0")));

        var final = await server.WaitForFinalAsync("gw-1", Timeout);

        Assert.Equal(DdiValues.Finished.Success, final.Status.Result.Finished);
        var truth = sim.Truth("gw-1");
        Assert.Equal(DeviceMode.Normal, truth.Mode);
        Assert.Equal("B", truth.BootSlot);
        Assert.Equal("2.0.0", truth.RunningVersion);
        Assert.Equal("1.0.0", truth.Slots[0].Version);
        Assert.Equal(1, truth.FlashCount);
        Assert.Equal(ResetReason.Update, truth.ResetReason);
        // The success came after the reboot: the proceeding posts before it never claim success.
        var all = server.FeedbackFor("gw-1");
        Assert.All(all.SkipLast(1), f => Assert.Equal(DdiValues.Finished.None, f.Status.Result.Finished));
        Assert.Contains(all, f => Details(f).Contains("rebooting", StringComparison.Ordinal));
        // In SWUpdate's words, which the server reads as "written": a proceeding post before the final one.
        Assert.Contains(all.SkipLast(1), f => Details(f).Contains("All Chunks Installed.", StringComparison.Ordinal));
        Assert.Contains("Update Installed.", Details(final), StringComparison.Ordinal);
        Assert.Contains(server.Authorizations, a => a == "TargetToken token-gw-1");
        await WaitForConfigAsync(server, "gw-1", c => c[DdiValues.Attributes.FirmwareVersion] == "2.0.0");
    }

    [Fact]
    public async Task FinalFeedback_RefusedOnce_IsSentAgain_WithoutASecondFlash()
    {
        await using var server = await FakeHawkbitServer.StartAsync();
        server.Sleep = "00:00:01";
        server.RefuseFinalFeedback(1);
        await using var sim = await TestFleet.StartAsync(Fleet(server, TestFleet.Gateway("gw-resend")));
        server.Offer("gw-resend", "43", "update.swu", SwuBuilder.Build("2.0.0", ["1.0"], TestFleet.GatewayImage("2.0.0")));

        var final = await server.WaitForFinalAsync("gw-resend", Timeout);

        var refused = Assert.Single(server.RefusedFeedback);
        Assert.Equal(DdiValues.Finished.Success, refused.Feedback.Status.Result.Finished);
        Assert.Equal(DdiValues.Finished.Success, final.Status.Result.Finished);
        Assert.Equal(1, sim.Truth("gw-resend").FlashCount);
        Assert.Equal("2.0.0", sim.Truth("gw-resend").RunningVersion);
    }

    [Fact]
    public async Task FailureBeforeWriting_RefusedOnce_IsReportedAgainOnTheNextOffer_AndNothingIsWritten()
    {
        await using var server = await FakeHawkbitServer.StartAsync();
        server.Sleep = "00:00:01";
        server.RefuseFinalFeedback(1);
        await using var sim = await TestFleet.StartAsync(Fleet(server, TestFleet.Gateway("gw-refail")));
        server.Offer("gw-refail", "44", "update.swu", SwuBuilder.Build("2.0.0", ["1.0"], TestFleet.GatewayImage("2.0.0")), declaredSha256: new string('0', 64));

        var final = await server.WaitForFinalAsync("gw-refail", Timeout);

        Assert.Single(server.RefusedFeedback);
        Assert.Equal(DdiValues.Finished.Failure, final.Status.Result.Finished);
        Assert.Contains("HASH mismatch", Details(final), StringComparison.Ordinal);
        Assert.Equal(0, sim.Truth("gw-refail").FlashCount);
        Assert.Equal(0, sim.Truth("gw-refail").Storage.StagedBytes);
    }

    [Fact]
    public async Task Download_ConnectionDropsOnce_ResumesWithRangeAndSucceeds()
    {
        await using var server = await FakeHawkbitServer.StartAsync();
        await using var sim = await TestFleet.StartAsync(Fleet(server, TestFleet.Gateway("gw-drop")));
        sim.InjectFault("gw-drop", new FaultRequest(FaultKind.ConnectionDrop, Percent: 50, Count: 1));
        var bundle = SwuBuilder.Build("2.0.0", ["1.0"], TestFleet.GatewayImage("2.0.0"));
        server.Offer("gw-drop", "7", "update.swu", bundle);

        var final = await server.WaitForFinalAsync("gw-drop", Timeout);

        Assert.Equal(DdiValues.Finished.Success, final.Status.Result.Finished);
        Assert.Contains(server.RangeHeaders, r => r == $"bytes={bundle.Length / 2}-");
        Assert.Equal("2.0.0", sim.Truth("gw-drop").RunningVersion);
    }

    [Fact]
    public async Task Download_ConnectionKeepsDropping_ReportsTooManyFailedDownloadAttemptsAndWritesNothing()
    {
        await using var server = await FakeHawkbitServer.StartAsync();
        await using var sim = await TestFleet.StartAsync(Fleet(server, TestFleet.Gateway("gw-flaky")));
        sim.InjectFault("gw-flaky", new FaultRequest(FaultKind.ConnectionDrop, Percent: 0, Count: 10));
        server.Offer("gw-flaky", "8", "update.swu", SwuBuilder.Build("2.0.0", ["1.0"], TestFleet.GatewayImage("2.0.0")));

        var final = await server.WaitForFinalAsync("gw-flaky", Timeout);

        Assert.Equal(DdiValues.Finished.Failure, final.Status.Result.Finished);
        Assert.Contains("too many failed download attempts", Details(final), StringComparison.Ordinal);
        Assert.Equal(0, sim.Truth("gw-flaky").FlashCount);
        Assert.Equal(0, sim.Truth("gw-flaky").Storage.StagedBytes);
    }

    [Fact]
    public async Task Download_CorruptBytesOnVerifyingDevice_ReportsHashMismatchAndWritesNothing()
    {
        await using var server = await FakeHawkbitServer.StartAsync();
        await using var sim = await TestFleet.StartAsync(Fleet(server, TestFleet.Gateway("gw-hash")));
        sim.InjectFault("gw-hash", new FaultRequest(FaultKind.CorruptBytes, Count: 4));
        var bundle = SwuBuilder.Build("2.0.0", ["1.0"], TestFleet.GatewayImage("2.0.0"));
        server.Offer("gw-hash", "9", "update.swu", bundle);

        var final = await server.WaitForFinalAsync("gw-hash", Timeout);

        Assert.Equal(DdiValues.Finished.Failure, final.Status.Result.Finished);
        Assert.Matches("HASH mismatch : [0-9a-f]{64} <--> [0-9a-f]{64}", Details(final));
        var truth = sim.Truth("gw-hash");
        Assert.Equal(0, truth.FlashCount);
        Assert.Equal("1.0.0", truth.Slots[1].Version);
    }

    [Fact]
    public async Task Download_TruncatedRawImageOnNonVerifyingDevice_WritesItFailsToBootAndReportsFallback()
    {
        await using var server = await FakeHawkbitServer.StartAsync();
        await using var sim = await TestFleet.StartAsync(Fleet(server, TestFleet.Gateway("gw-noverify", s => s.VerifiesImage = false)));
        sim.InjectFault("gw-noverify", new FaultRequest(FaultKind.TruncatedTransfer, Percent: 60));
        server.Offer("gw-noverify", "10", "rootfs.img", TestFleet.GatewayImage("2.0.0"));

        var final = await server.WaitForFinalAsync("gw-noverify", Timeout);

        Assert.Equal(DdiValues.Finished.Failure, final.Status.Result.Finished);
        Assert.Contains("boot failure, fell back to slot A", Details(final), StringComparison.Ordinal);
        // The agent reports why the new slot did not boot, as the bootloader printed it.
        Assert.Contains("previous boot: slot B: Verifying Checksum ... Bad Data CRC", Details(final), StringComparison.Ordinal);
        var truth = sim.Truth("gw-noverify");
        Assert.Equal("A", truth.BootSlot);
        Assert.True(truth.FellBack);
        Assert.Equal("1.0.0", truth.RunningVersion);
        Assert.Equal(1, truth.FlashCount);
        Assert.Contains(truth.SystemLog, l => l.Contains("Bad Data CRC", StringComparison.Ordinal));
        await WaitForConfigAsync(server, "gw-noverify", c => c[DdiValues.Attributes.FirmwareVersion] == "1.0.0" && c[DdiValues.Attributes.ResetReason] == "watchdog");
    }

    [Fact]
    public async Task Deploy_ArtifactLargerThanFreeSpace_ReportsNoSpaceLeftOnDevice()
    {
        await using var server = await FakeHawkbitServer.StartAsync();
        var spec = TestFleet.Gateway("gw-full", s =>
        {
            s.StorageCapacityBytes = 6_000;
            s.StorageItems = [new StorageItemSpec { Name = "snap-1", Kind = StorageItemKind.Snapshot, SizeBytes = 3_000 }];
        });
        await using var sim = await TestFleet.StartAsync(Fleet(server, spec));
        server.Offer("gw-full", "11", "update.swu", SwuBuilder.Build("2.0.0", ["1.0"], TestFleet.GatewayImage("2.0.0")));

        var final = await server.WaitForFinalAsync("gw-full", Timeout);

        Assert.Contains("No space left on device", Details(final), StringComparison.Ordinal);
        Assert.Equal(0, sim.Truth("gw-full").FlashCount);
        await WaitForConfigAsync(server, "gw-full", c => c[DdiValues.Attributes.FreeBytes] == "3000");
    }

    [Fact]
    public async Task Deploy_BundleForOtherRevision_VerifyingDeviceSaysSwNotCompatibleWithHardware()
    {
        await using var server = await FakeHawkbitServer.StartAsync();
        await using var sim = await TestFleet.StartAsync(Fleet(server, TestFleet.Gateway("gw-rev")));
        server.Offer("gw-rev", "12", "update.swu", SwuBuilder.Build("2.0.0", ["2.0"], TestFleet.GatewayImage("2.0.0", hwRevision: "2.0")));

        var final = await server.WaitForFinalAsync("gw-rev", Timeout);

        Assert.Contains("SW not compatible with hardware", Details(final), StringComparison.Ordinal);
        Assert.Equal(0, sim.Truth("gw-rev").FlashCount);
    }

    [Fact]
    public async Task Deploy_PowerLossDuringWrite_ReportsInstallationFailedAfterPowerReturns()
    {
        await using var server = await FakeHawkbitServer.StartAsync();
        await using var sim = await TestFleet.StartAsync(Fleet(server, TestFleet.Gateway("gw-power")));
        sim.InjectFault("gw-power", new FaultRequest(FaultKind.PowerLoss, Percent: 40));
        server.Offer("gw-power", "13", "update.swu", SwuBuilder.Build("2.0.0", ["1.0"], TestFleet.GatewayImage("2.0.0")));

        var final = await server.WaitForFinalAsync("gw-power", Timeout);

        Assert.Equal(DdiValues.Finished.Failure, final.Status.Result.Finished);
        Assert.Contains("Installation failed", Details(final), StringComparison.Ordinal);
        Assert.Contains("power-loss", Details(final), StringComparison.Ordinal);
        var truth = sim.Truth("gw-power");
        Assert.False(truth.Slots[1].Valid);
        Assert.Equal(40, truth.Slots[1].WrittenPercent);
        await WaitForConfigAsync(server, "gw-power", c => c[DdiValues.Attributes.ResetReason] == "power-loss");
    }

    private static async Task WaitForConfigAsync(FakeHawkbitServer server, string id, Func<IReadOnlyDictionary<string, string>, bool> condition)
    {
        using var cts = new CancellationTokenSource(Timeout);
        while (!(server.ConfigData.TryGetValue(id, out var data) && condition(data)))
        {
            await Task.Delay(20, cts.Token);
        }
    }
}
