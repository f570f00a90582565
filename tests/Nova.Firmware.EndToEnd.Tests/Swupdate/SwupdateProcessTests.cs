using System.Security.Cryptography;
using Nova.Firmware.EndToEnd.Tests.Discovery;

namespace Nova.Firmware.EndToEnd.Tests.Swupdate;

public sealed class SwupdateProcessTests
{
    [Fact(Timeout = 120_000)]
    public async Task StopAsync_WhilePolling_EndsEveryProcessOfTheTreeAndStopsPolling()
    {
        await using var scenario = await DiscoveryScenario.CreateAsync();
        var bundle = await scenario.Bundle().AddRawFile("rootfs.img", RandomNumberGenerator.GetBytes(100), scenario.TargetPath).BuildAsync();
        await scenario.StartAsync(new DiscoveryDdiOptions { Artifact = bundle.Content, Offer = DiscoveryOffer.Cancel });
        await scenario.Server.WaitForRequestAsync(r => r.IsFeedback, DiscoveryScenario.StepTimeout);

        await scenario.Swupdate.StopAsync();
        // A request sent just before the stop may still be on its way into the server: let it land.
        await Task.Delay(TimeSpan.FromSeconds(1));
        var requestsAfterStop = scenario.Server.Requests.Snapshot().Count;
        await Task.Delay(TimeSpan.FromSeconds(2.5));

        Assert.True(scenario.Swupdate.HasExited);
        // The certificate path is unique to this test and part of every SWUpdate helper's command line.
        Assert.Empty(ProcessTree.FindByCommandLine(scenario.Keys.CertificatePath));
        Assert.Equal(requestsAfterStop, scenario.Server.Requests.Snapshot().Count);
    }

    [Fact(Timeout = 120_000)]
    public async Task Start_TwoInstances_UseSeparateTempDirectoriesWithTheirSockets()
    {
        await using var scenario = await DiscoveryScenario.CreateAsync();
        var bundle = await scenario.Bundle().AddRawFile("rootfs.img", RandomNumberGenerator.GetBytes(100), scenario.TargetPath).BuildAsync();
        await scenario.StartAsync(new DiscoveryDdiOptions { Artifact = bundle.Content, Offer = DiscoveryOffer.Cancel });
        await using var second = SwupdateProcess.Start(new SwupdateOptions
        {
            BaseUrl = scenario.Server.BaseUrl,
            ControllerId = "dev-002",
            CertificatePath = scenario.Keys.CertificatePath,
            WorkDirectory = scenario.Directory.Sub("swupdate"),
            TargetToken = "tok-dev-002",
        });

        await second.WaitForOutputAsync(l => l.Contains("HTTP error code 404", StringComparison.Ordinal), DiscoveryScenario.StepTimeout, "404 for the unknown device");
        await scenario.Server.WaitForRequestAsync(r => r.IsFeedback, DiscoveryScenario.StepTimeout);

        Assert.NotEqual(scenario.Swupdate.TempDirectory, second.TempDirectory);
        Assert.True(File.Exists(Path.Combine(second.TempDirectory, "sockinstctrl")));
        Assert.True(File.Exists(Path.Combine(scenario.Swupdate.TempDirectory, "sockinstctrl")));
        Assert.False(second.HasExited);
    }
}
