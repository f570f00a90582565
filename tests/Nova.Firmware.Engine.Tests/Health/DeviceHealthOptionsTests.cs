using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Nova.Firmware.Engine.Health;

namespace Nova.Firmware.Engine.Tests.Health;

public sealed class DeviceHealthOptionsTests
{
    private static DeviceHealthOptions Resolve(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build();
        using var services = new ServiceCollection().AddDeviceHealthSweep(configuration, runLoop: false).BuildServiceProvider();
        return services.GetRequiredService<IOptions<DeviceHealthOptions>>().Value;
    }

    [Fact]
    public void Allowances_Defaults_AreThreePollsAndFiveMinutes()
    {
        var allowances = Resolve().Allowances;

        Assert.Equal(TimeSpan.FromMinutes(3), allowances.Ddi);
        Assert.Equal(TimeSpan.FromMinutes(5), allowances.Onvif);
    }

    [Fact]
    public void Allowances_Configured_FollowThePollIntervalAndMissedPolls()
    {
        var allowances = Resolve(("Nova:Engine:Health:DdiPollInterval", "00:00:30"), ("Nova:Engine:Health:DdiMissedPolls", "4"),
            ("Nova:Engine:Health:OnvifProbeAllowance", "00:10:00")).Allowances;

        Assert.Equal(TimeSpan.FromMinutes(2), allowances.Ddi);
        Assert.Equal(TimeSpan.FromMinutes(10), allowances.Onvif);
    }

    [Fact]
    public void Resolve_InvalidSettings_NamesEveryOne()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Resolve(
            ("Nova:Engine:Health:SweepInterval", "00:00:00"),
            ("Nova:Engine:Health:DdiMissedPolls", "1"),
            ("Nova:Engine:Health:OnvifProbeAllowance", "-00:01:00")));

        Assert.Equal(3, error.Failures.Count());
        Assert.Contains(error.Failures, f => f.Contains("SweepInterval", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("DdiMissedPolls", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("OnvifProbeAllowance", StringComparison.Ordinal));
    }
}
