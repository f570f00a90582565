using Nova.Firmware.Domain.Devices;

namespace Nova.Firmware.Domain.Tests.Devices;

public sealed class DeviceHealthRuleTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Now = Start.AddHours(2);
    private static readonly TimeSpan Allowance = TimeSpan.FromMinutes(3);

    [Fact]
    public void Evaluate_NeverSeen_IsUnknown() =>
        Assert.Equal(HealthStatus.Unknown, DeviceHealthRule.Evaluate(null, "recovery", Allowance, Now, Start));

    [Theory]
    [InlineData(null)]
    [InlineData("normal")]
    [InlineData("NORMAL")]
    public void Evaluate_SeenWithinAllowanceBootingNormally_IsHealthy(string? bootMode) =>
        Assert.Equal(HealthStatus.Healthy, DeviceHealthRule.Evaluate(Now.AddMinutes(-2), bootMode, Allowance, Now, Start));

    [Theory]
    [InlineData("recovery")]
    [InlineData("boot-loop")]
    [InlineData("bricked")]
    public void Evaluate_SeenWithinAllowanceInAnotherBootMode_IsDegraded(string bootMode) =>
        Assert.Equal(HealthStatus.Degraded, DeviceHealthRule.Evaluate(Now.AddMinutes(-2), bootMode, Allowance, Now, Start));

    [Fact]
    public void Evaluate_SeenExactlyAtTheAllowance_IsNotYetOffline() =>
        Assert.Equal(HealthStatus.Healthy, DeviceHealthRule.Evaluate(Now - Allowance, null, Allowance, Now, Start));

    [Theory]
    [InlineData(null)]
    [InlineData("recovery")]
    public void Evaluate_SilentLongerThanTheAllowance_IsOfflineWhateverItSaidLast(string? bootMode) =>
        Assert.Equal(HealthStatus.Offline, DeviceHealthRule.Evaluate(Now - Allowance - TimeSpan.FromSeconds(1), bootMode, Allowance, Now, Start));

    [Fact]
    public void Evaluate_LongSilentButServerJustStarted_IsNotOffline()
    {
        var justStarted = Now.AddMinutes(-1);

        Assert.Equal(HealthStatus.Healthy, DeviceHealthRule.Evaluate(Now.AddDays(-3), null, Allowance, Now, justStarted));
        Assert.Equal(HealthStatus.Offline, DeviceHealthRule.Evaluate(Now.AddDays(-3), null, Allowance, Now.AddMinutes(3), justStarted));
    }

    [Fact]
    public void SilentBefore_ListeningLongEnough_IsNowMinusTheAllowance()
    {
        Assert.Equal(Now - Allowance, DeviceHealthRule.SilentBefore(Allowance, Now, Start));
        Assert.Equal(Now - Allowance, DeviceHealthRule.SilentBefore(Allowance, Now, Now - Allowance));
        Assert.Null(DeviceHealthRule.SilentBefore(Allowance, Now, Now - Allowance + TimeSpan.FromTicks(1)));
    }

    [Fact]
    public void HealthAllowances_For_GivesEachProtocolItsOwn()
    {
        var allowances = new HealthAllowances(TimeSpan.FromMinutes(3), TimeSpan.FromMinutes(5));

        Assert.Equal(TimeSpan.FromMinutes(3), allowances.For(DeviceProtocol.Ddi));
        Assert.Equal(TimeSpan.FromMinutes(5), allowances.For(DeviceProtocol.Onvif));
    }
}
