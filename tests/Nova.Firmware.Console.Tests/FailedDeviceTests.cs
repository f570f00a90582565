using System.IO.Compression;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Nova.Firmware.EndToEnd.Tests.Nova;
using Nova.Firmware.Server.Tests.Infrastructure;
using Nova.Firmware.Simulator.Faults;
using Nova.Firmware.Simulator.Fleet;
using Xunit.Abstractions;

namespace Nova.Firmware.Console.Tests;

/// <summary>A device whose flash failed, as a support engineer opens it: diagnosis, evidence, article, RMA bundle.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class FailedDeviceTests(ConsoleBrowser browser, ITestOutputHelper output)
{
    [Fact(Timeout = 300_000)]
    public async Task FailedDevice_DiagnosisWithEvidenceAndArticle_RmaBundleDownloads()
    {
        var fleet = new FleetDefinition { Devices = [SimulatedFleetScenario.Gateway("gw-bad")] };
        await using var scenario = await SimulatedFleetScenario.StartAsync(fleet, new Dictionary<string, string> { ["Nova:Rma:SystemLogTimeout"] = "00:00:03" });
        scenario.Simulation.InjectFault("gw-bad", new FaultRequest(FaultKind.BootFailure, Count: 100));
        var package = await scenario.ImportImageAsync("2.0.0", "1.0");
        var jobId = await scenario.StartJobAsync("gw-bad", package);
        var job = await scenario.JobInStatusAsync(jobId, "failed");
        var cause = job.GetProperty("cause").GetString()!;
        output.WriteLine($"job {jobId} failed with {cause}");
        var deviceId = await scenario.DeviceIdAsync("gw-bad");

        await using var tab = await ConsolePage.OpenAsync(browser.Browser, scenario.Server.BaseAddress, output);
        await tab.SignInAsync("admin", NovaServer.AdminPassword);
        await tab.GoAsync("/console/devices");
        await tab.Page.GetByRole(AriaRole.Link, new() { Name = "gw-bad" }).ClickAsync();
        await Assertions.Expect(tab.Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/console/devices/{deviceId}$"));

        await Assertions.Expect(tab.Page.GetByTestId("diagnosis-cause")).ToHaveTextAsync(cause);
        var evidence = job.GetProperty("causeEvidence").EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.NotEmpty(evidence);
        await Assertions.Expect(tab.Page.GetByTestId("diagnosis")).ToContainTextAsync(evidence[0]);
        Assert.Equal(job.GetProperty("articleUrl").GetString(), await tab.Page.GetByTestId("article-link").GetAttributeAsync("href"));
        await Assertions.Expect(tab.Page.GetByTestId("timeline")).ToBeVisibleAsync();
        await tab.ScreenshotAsync("device-failed");

        var download = await tab.Page.RunAndWaitForDownloadAsync(() => tab.Page.GetByTestId("rma-download").ClickAsync());
        var path = Path.Combine(ConsoleBrowser.ArtifactsDirectory, download.SuggestedFilename);
        await download.SaveAsAsync(path);
        output.WriteLine($"RMA bundle: {path}");
        Assert.EndsWith(".zip", download.SuggestedFilename, StringComparison.Ordinal);
        using var zip = ZipFile.OpenRead(path);
        Assert.NotEmpty(zip.Entries);
        // The bundle names the device it was made for.
        var texts = zip.Entries.Where(e => e.Name.EndsWith(".json", StringComparison.Ordinal) || e.Name.EndsWith(".txt", StringComparison.Ordinal))
            .Select(e => new StreamReader(e.Open()).ReadToEnd()).ToList();
        Assert.Contains(texts, t => t.Contains("gw-bad", StringComparison.Ordinal));
    }
}
