using Nova.Firmware.Server.Tests.Infrastructure;

namespace Nova.Firmware.Server.Tests.Hosting;

/// <summary>Nonsense settings stop the real host at start, every bad one named, before a device or job is touched.</summary>
public sealed class StartupValidationTests
{
    [Theory]
    [InlineData("Nova:Engine:LeaseDuration", "00:00:00")]
    [InlineData("Nova:Engine:Preflight:SpaceMarginBytes", "-1")]
    [InlineData("Nova:Ddi:PollSleep", "00:00:00.500")]
    [InlineData("Nova:Ddi:ActivePollSleep", "1.00:00:00")]
    [InlineData("Nova:Ddi:PublicBaseUrl", "not a url")]
    [InlineData("Nova:Onvif:RequestTimeout", "00:00:00")]
    [InlineData("Nova:Engine:Health:ProbeInterval", "00:10:00")]
    public async Task Start_OneNonsenseSetting_FailsNamingIt(string key, string value)
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => NovaServer.StartAsync(settings: new Dictionary<string, string> { [key] = value }));

        var failures = StartupFailures.Of(error);
        Assert.NotEmpty(failures);
        Assert.Contains(failures, f => f.Contains(key, StringComparison.Ordinal));
    }
}
