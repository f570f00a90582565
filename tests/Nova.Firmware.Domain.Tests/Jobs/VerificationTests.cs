using Nova.Firmware.Domain.Devices;
using Nova.Firmware.Domain.Jobs;

namespace Nova.Firmware.Domain.Tests.Jobs;

/// <summary>Version, normal boot (solid LED where reported) and a fresh check-in, all after the device came back.</summary>
public sealed class VerificationTests
{
    private static readonly DateTimeOffset Since = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    private const string Target = "2.0.0";
    private const string Previous = "1.0.0";

    private static Device Device(string? active = Target, string? inactive = null, bool ab = false, HealthStatus health = HealthStatus.Healthy, DateTimeOffset? lastSeen = null) => new()
    {
        ControllerId = "dev-001",
        Vendor = "Axiom",
        Model = "C200",
        HardwareRevision = "1.0",
        Soc = "CV25",
        Serial = "SN-1",
        Firmware = new FirmwareState { ActiveVersion = active, InactiveVersion = inactive },
        Capabilities = new DeviceCapabilities { AbSlots = ab },
        Health = new DeviceHealth { Status = health, LastSeenAt = lastSeen ?? Since + TimeSpan.FromSeconds(40) },
    };

    private static DeviceReport Report(TimeSpan? after = null, string? bootMode = "normal", string? led = null) => new()
    {
        ReportedAt = Since + (after ?? TimeSpan.FromSeconds(30)),
        BootMode = bootMode,
        Led = led,
    };

    private static VerificationResult Check(Device device, DeviceReport? report) => Verification.Check(device, report, Target, Previous, Since);

    [Fact]
    public void Check_AllThreeSigns_Verified()
    {
        var result = Check(Device(), Report(led: "solid"));

        Assert.Equal(VerificationOutcome.Verified, result.Outcome);
        Assert.Contains("solid LED", result.Reason);
    }

    [Fact]
    public void Check_LedNotReported_VerifiedWithoutIt()
    {
        var result = Check(Device(), Report(led: null));

        Assert.Equal(VerificationOutcome.Verified, result.Outcome);
        Assert.DoesNotContain("LED", result.Reason);
    }

    [Fact]
    public void Check_NoReport_Waiting()
    {
        Assert.Equal(VerificationOutcome.Waiting, Check(Device(), null).Outcome);
    }

    [Fact]
    public void Check_TargetVersionButReportFromBeforeVerifyingSince_Waiting()
    {
        // A write-time report that already names the new version proves nothing about the reboot.
        var result = Check(Device(), Report(after: TimeSpan.FromSeconds(-1)));

        Assert.Equal(VerificationOutcome.Waiting, result.Outcome);
    }

    [Fact]
    public void Check_ReportExactlyAtVerifyingSince_Counts()
    {
        Assert.Equal(VerificationOutcome.Verified, Check(Device(), Report(after: TimeSpan.Zero)).Outcome);
    }

    [Theory]
    [InlineData("recovery")]
    [InlineData("boot-loop")]
    public void Check_BootModeNotNormal_Waiting(string mode)
    {
        var result = Check(Device(), Report(bootMode: mode));

        Assert.Equal(VerificationOutcome.Waiting, result.Outcome);
        Assert.Contains(mode, result.Reason);
    }

    [Theory]
    [InlineData("blinking-red")]
    [InlineData("off")]
    public void Check_LedNotSolid_Waiting(string led)
    {
        var result = Check(Device(), Report(led: led));

        Assert.Equal(VerificationOutcome.Waiting, result.Outcome);
        Assert.Contains(led, result.Reason);
    }

    [Theory]
    [InlineData(HealthStatus.Degraded)]
    [InlineData(HealthStatus.Offline)]
    public void Check_HealthBad_Waiting(HealthStatus health)
    {
        Assert.Equal(VerificationOutcome.Waiting, Check(Device(health: health), Report()).Outcome);
    }

    [Fact]
    public void Check_LastSeenBeforeVerifyingSince_Waiting()
    {
        var result = Check(Device(lastSeen: Since - TimeSpan.FromSeconds(1)), Report());

        Assert.Equal(VerificationOutcome.Waiting, result.Outcome);
        Assert.Contains("check in again", result.Reason);
    }

    [Fact]
    public void Check_AbDeviceWithTargetInInactiveSlot_FellBack()
    {
        var result = Check(Device(active: "0.9.0", inactive: Target, ab: true), Report());

        Assert.Equal(VerificationOutcome.FellBack, result.Outcome);
        Assert.Contains("fell back", result.Reason);
    }

    [Fact]
    public void Check_TargetInInactiveSlotOfSingleSlotDevice_NotCalledSilentFallback()
    {
        var result = Check(Device(active: "0.9.0", inactive: Target, ab: false), Report());

        Assert.Equal(VerificationOutcome.Waiting, result.Outcome);
    }

    [Fact]
    public void Check_BackOnPreviousVersion_FellBack()
    {
        var result = Check(Device(active: Previous), Report());

        Assert.Equal(VerificationOutcome.FellBack, result.Outcome);
        Assert.Contains(Previous, result.Reason);
    }

    [Fact]
    public void Check_SomeOtherVersion_Waiting()
    {
        var result = Check(Device(active: "1.5.0"), Report());

        Assert.Equal(VerificationOutcome.Waiting, result.Outcome);
        Assert.Contains("1.5.0", result.Reason);
    }

    [Fact]
    public void Check_FallbackWithOldReport_StillWaitingForAFreshReport()
    {
        var result = Check(Device(active: Previous), Report(after: TimeSpan.FromSeconds(-5)));

        Assert.Equal(VerificationOutcome.Waiting, result.Outcome);
    }
}
