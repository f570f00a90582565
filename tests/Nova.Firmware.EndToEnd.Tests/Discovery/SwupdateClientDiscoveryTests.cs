using System.Security.Cryptography;
using Nova.Firmware.EndToEnd.Tests.Swupdate;
using Nova.Firmware.Protocols.Ddi;
using Xunit.Abstractions;

namespace Nova.Firmware.EndToEnd.Tests.Discovery;

/// <summary>
/// The real SWUpdate client against a throwaway DDI server: pins down the request sequence and the
/// failure details that docs/swupdate-client.md describes and that Nova's DDI server must handle.
/// </summary>
public sealed class SwupdateClientDiscoveryTests(ITestOutputHelper output)
{
    private const string Closed = DdiValues.Execution.Closed;
    private const string Proceeding = DdiValues.Execution.Proceeding;

    [Fact(Timeout = 150_000)]
    public async Task Install_GoodBundle_WritesTargetAndReportsSuccessOnlyAfterConfirmedRestart()
    {
        await using var scenario = await DiscoveryScenario.CreateAsync();
        var image = RandomNumberGenerator.GetBytes(100_000);
        var bundle = await scenario.Bundle().AddRawFile("rootfs.img", image, scenario.TargetPath).BuildAsync();
        await scenario.StartAsync(new DiscoveryDdiOptions { Artifact = bundle.Content });

        await scenario.Server.WaitForRequestAsync(
            r => r.IsFeedback && r.Body.Contains("All Chunks Installed.", StringComparison.Ordinal), DiscoveryScenario.StepTimeout, "All Chunks Installed");
        Assert.Equal(image, await File.ReadAllBytesAsync(scenario.TargetPath));
        await scenario.Swupdate.WaitForOutputAsync(l => l.Contains("Please restart SWUpdate to report the test results upstream", StringComparison.Ordinal), DiscoveryScenario.StepTimeout);
        Assert.DoesNotContain(scenario.Server.Feedback, r => r.Feedback?.Status.Execution == Closed);

        await scenario.Swupdate.RestartAfterRebootAsync(SwupdateConfirmation.Success);
        var final = await scenario.WaitForFeedbackAsync(Closed, DdiValues.Finished.Success);
        await scenario.Server.WaitForRequestAsync(_ => CountPollsAfter(scenario, final) >= 2, DiscoveryScenario.StepTimeout, "two polls after closed");

        Dump(scenario);
        var requests = scenario.Server.Requests.Snapshot();
        // Once closed the action is no longer offered: the client only polls the controller base.
        Assert.All(requests.SkipWhile(r => r != final).Skip(1), r => Assert.Equal(scenario.Server.ControllerPath, r.Path));
        Assert.All(requests, r => Assert.Equal($"TargetToken {DiscoveryScenario.Token}", r.Header("Authorization")));
        Assert.Equal(("GET", scenario.Server.ControllerPath), (requests[0].Method, requests[0].Path));
        var download = Assert.Single(requests, r => r.IsDownload);
        Assert.Null(download.Header("Range"));
        Assert.Equal("application/octet-stream", download.Header("Accept"));
        var firstFeedback = requests.First(r => r.IsFeedback).Feedback!;
        Assert.Equal((Proceeding, DdiValues.Finished.None), (firstFeedback.Status.Execution, firstFeedback.Status.Result.Finished));
        Assert.Equal(["Installing Update Chunk Artifacts."], firstFeedback.Status.Details);
        Assert.Equal(["Update Installed."], final.Feedback!.Status.Details);
        Assert.Equal("42", final.Feedback.Id?.ToString());
        Assert.Matches(@"^\d{8}T\d{6}$", final.Feedback.Time);
        Assert.Equal($"{scenario.Server.ControllerPath}/deploymentBase/42/feedback", final.Path);
    }

    [Fact(Timeout = 150_000)]
    public async Task Restart_ConfirmFailed_PostsClosedFailureUpdateFailed()
    {
        await using var scenario = await DiscoveryScenario.CreateAsync();
        var bundle = await scenario.Bundle().AddRawFile("rootfs.img", RandomNumberGenerator.GetBytes(10_000), scenario.TargetPath).BuildAsync();
        await scenario.StartAsync(new DiscoveryDdiOptions { Artifact = bundle.Content });
        await scenario.Server.WaitForRequestAsync(
            r => r.IsFeedback && r.Body.Contains("All Chunks Installed.", StringComparison.Ordinal), DiscoveryScenario.StepTimeout, "All Chunks Installed");

        await scenario.Swupdate.RestartAfterRebootAsync(SwupdateConfirmation.Failed);
        var final = await scenario.WaitForFeedbackAsync(Closed, DdiValues.Finished.Failure);

        Dump(scenario);
        Assert.Equal(["Update Failed."], final.Feedback!.Status.Details);
    }

    [Fact(Timeout = 150_000)]
    public async Task Install_WrongInnerSha256_ReportsHashMismatchFailure()
    {
        await using var scenario = await DiscoveryScenario.CreateAsync();
        var bundle = await scenario.Bundle()
            .AddRawFile("rootfs.img", RandomNumberGenerator.GetBytes(50_000), scenario.TargetPath)
            .WithWrongSha256For("rootfs.img")
            .BuildAsync();
        await scenario.StartAsync(new DiscoveryDdiOptions { Artifact = bundle.Content });

        var final = await scenario.WaitForFeedbackAsync(Closed, DdiValues.Finished.Failure);

        Dump(scenario);
        // Which post carries the ERROR line varies from run to run: classify over all of them.
        var details = AllDetails(scenario);
        Assert.Contains(details, d => d.StartsWith("ERROR : HASH mismatch : ", StringComparison.Ordinal) && d.Contains(" <--> ", StringComparison.Ordinal));
        Assert.Contains("No suitable .swu image found", final.Feedback!.Status.Details!);
    }

    [Fact(Timeout = 150_000)]
    public async Task Install_HardwareRevisionNotListed_ReportsNotCompatibleFailure()
    {
        await using var scenario = await DiscoveryScenario.CreateAsync();
        var bundle = await scenario.Bundle()
            .WithHardwareCompatibility("2.0", "2.1")
            .AddRawFile("rootfs.img", RandomNumberGenerator.GetBytes(10_000), scenario.TargetPath)
            .BuildAsync();
        await scenario.StartAsync(new DiscoveryDdiOptions { Artifact = bundle.Content }, o => o with { HardwareRevision = "1.0" });

        var final = await scenario.WaitForFeedbackAsync(Closed, DdiValues.Finished.Failure);

        Dump(scenario);
        Assert.Contains("ERROR : SW not compatible with hardware", AllDetails(scenario));
        Assert.Contains("No suitable .swu image found", final.Feedback!.Status.Details!);
        Assert.False(File.Exists(scenario.TargetPath));
    }

    [Fact(Timeout = 150_000)]
    public async Task Download_CutShortEveryTime_ResumesWithRangeThenFails()
    {
        await using var scenario = await DiscoveryScenario.CreateAsync();
        var bundle = await scenario.Bundle().AddRawFile("rootfs.img", RandomNumberGenerator.GetBytes(100_000), scenario.TargetPath).BuildAsync();
        await scenario.StartAsync(
            new DiscoveryDdiOptions { Artifact = bundle.Content, CutEachResponseAfterBytes = 30_000 },
            o => o with { DownloadRetries = 2, DownloadRetryWaitSeconds = 1 });

        var final = await scenario.WaitForFeedbackAsync(Closed, DdiValues.Finished.Failure);

        Dump(scenario);
        var downloads = scenario.Server.Requests.Snapshot().Where(r => r.IsDownload).ToList();
        Assert.Equal([null, "bytes=30000-", "bytes=60000-"], downloads.Select(d => d.Header("Range")));
        Assert.Contains(scenario.Server.Feedback, r => r.Body.Contains("too many failed download attempts (2)", StringComparison.Ordinal));
        Assert.Contains(AllDetails(scenario), d => d.Contains("HASH mismatch", StringComparison.Ordinal));
        Assert.Contains("No suitable .swu image found", final.Feedback!.Status.Details!);
    }

    [Fact(Timeout = 150_000)]
    public async Task Download_CutOnceThenComplete_ResumesAndInstalls()
    {
        await using var scenario = await DiscoveryScenario.CreateAsync();
        var image = RandomNumberGenerator.GetBytes(100_000);
        var bundle = await scenario.Bundle().AddRawFile("rootfs.img", image, scenario.TargetPath).BuildAsync();
        await scenario.StartAsync(new DiscoveryDdiOptions { Artifact = bundle.Content, CutFirstResponseAfterBytes = 40_000 });

        await scenario.Server.WaitForRequestAsync(
            r => r.IsFeedback && r.Body.Contains("All Chunks Installed.", StringComparison.Ordinal), DiscoveryScenario.StepTimeout, "All Chunks Installed");

        Dump(scenario);
        var downloads = scenario.Server.Requests.Snapshot().Where(r => r.IsDownload).ToList();
        Assert.Equal([null, "bytes=40000-"], downloads.Select(d => d.Header("Range")));
        Assert.Equal(image, await File.ReadAllBytesAsync(scenario.TargetPath));
    }

    [Fact(Timeout = 150_000)]
    public async Task Download_TruncatedArtifactServed_FailsWithoutInstalling()
    {
        await using var scenario = await DiscoveryScenario.CreateAsync();
        var bundle = await scenario.Bundle().AddRawFile("rootfs.img", RandomNumberGenerator.GetBytes(100_000), scenario.TargetPath).BuildAsync();
        await scenario.StartAsync(new DiscoveryDdiOptions { Artifact = bundle.Content, ServedArtifact = bundle.Truncated(bundle.Content.Length / 2) });

        var final = await scenario.WaitForFeedbackAsync(Closed, DdiValues.Finished.Failure);

        Dump(scenario);
        Assert.Single(scenario.Server.Requests.Snapshot(), r => r.IsDownload);
        Assert.Contains(AllDetails(scenario), d => d.StartsWith("ERROR : Checksum does not match: Should be ", StringComparison.Ordinal));
        Assert.Contains("No suitable .swu image found", final.Feedback!.Status.Details!);
        Assert.DoesNotContain(scenario.Server.Feedback, r => r.Body.Contains("All Chunks Installed.", StringComparison.Ordinal));
    }

    [Fact(Timeout = 150_000)]
    public async Task DeploymentBase_WithoutSha1_FailsBeforeDownloadWithRawNewlineInDetails()
    {
        await using var scenario = await DiscoveryScenario.CreateAsync();
        var bundle = await scenario.Bundle().AddRawFile("rootfs.img", RandomNumberGenerator.GetBytes(1_000), scenario.TargetPath).BuildAsync();
        await scenario.StartAsync(new DiscoveryDdiOptions { Artifact = bundle.Content, OmitSha1 = true });

        var final = await scenario.Server.WaitForRequestAsync(
            r => r.IsFeedback && r.Body.Contains("\"failure\"", StringComparison.Ordinal), DiscoveryScenario.StepTimeout, "failure feedback");

        Dump(scenario);
        Assert.DoesNotContain(scenario.Server.Requests.Snapshot(), r => r.IsDownload);
        Assert.Contains("Could not find fields 'filename', 'hashes->sha1', or 'size' in JSON.", final.Body, StringComparison.Ordinal);
        // The message ends in a raw line feed inside a JSON string: the body is not valid JSON.
        Assert.Null(final.Feedback);
    }

    [Fact(Timeout = 150_000)]
    public async Task Cancel_Offered_GetsCancelActionAndAcknowledges()
    {
        await using var scenario = await DiscoveryScenario.CreateAsync();
        var bundle = await scenario.Bundle().AddRawFile("rootfs.img", RandomNumberGenerator.GetBytes(1_000), scenario.TargetPath).BuildAsync();
        await scenario.StartAsync(new DiscoveryDdiOptions { Artifact = bundle.Content, Offer = DiscoveryOffer.Cancel });

        var ack = await scenario.WaitForFeedbackAsync(Closed, DdiValues.Finished.Success);

        Dump(scenario);
        Assert.Equal($"{scenario.Server.ControllerPath}/cancelAction/42/feedback", ack.Path);
        Assert.Equal(["cancellation acknowledged."], ack.Feedback!.Status.Details);
        Assert.Contains(scenario.Server.Requests.Snapshot(), r => r.Method == "GET" && r.Path == $"{scenario.Server.ControllerPath}/cancelAction/42");
        Assert.False(File.Exists(scenario.TargetPath));
    }

    [Fact(Timeout = 150_000)]
    public async Task ConfigData_IdentifyAttributes_PutBeforeInstallWithGatewayToken()
    {
        await using var scenario = await DiscoveryScenario.CreateAsync();
        var bundle = await scenario.Bundle().AddRawFile("rootfs.img", RandomNumberGenerator.GetBytes(1_000), scenario.TargetPath).BuildAsync();
        await scenario.StartAsync(
            new DiscoveryDdiOptions { Artifact = bundle.Content, RequestConfigData = true },
            o => o with
            {
                TargetToken = null,
                GatewayToken = "gw-secret",
                Identify = new Dictionary<string, string> { ["hwRevision"] = "1.0", ["model"] = "NV-CAM-4K" },
            });

        await scenario.Server.WaitForRequestAsync(
            r => r.IsFeedback && r.Body.Contains("All Chunks Installed.", StringComparison.Ordinal), DiscoveryScenario.StepTimeout, "All Chunks Installed");

        Dump(scenario);
        var requests = scenario.Server.Requests.Snapshot();
        var put = Assert.Single(requests, r => r.Method == "PUT");
        Assert.Equal($"{scenario.Server.ControllerPath}/configData", put.Path);
        Assert.Contains("\"data\" : {", put.Body, StringComparison.Ordinal);
        Assert.Contains("\"model\": \"NV-CAM-4K\"", put.Body, StringComparison.Ordinal);
        Assert.Contains("\"hwRevision\": \"1.0\"", put.Body, StringComparison.Ordinal);
        Assert.True(requests.ToList().IndexOf(put) < requests.ToList().FindIndex(r => r.IsDownload));
        Assert.All(requests, r => Assert.Equal("GatewayToken gw-secret", r.Header("Authorization")));
    }

    private static int CountPollsAfter(DiscoveryScenario scenario, RecordedRequest marker) =>
        scenario.Server.Requests.Snapshot().SkipWhile(r => r != marker).Skip(1).Count(r => r.Path == scenario.Server.ControllerPath);

    /// <summary>Details of every feedback post of the action, in arrival order (raw body when it is not valid JSON).</summary>
    private static List<string> AllDetails(DiscoveryScenario scenario) =>
        [.. scenario.Server.Feedback.SelectMany(r => r.Feedback?.Status.Details ?? [r.Body])];

    private void Dump(DiscoveryScenario scenario)
    {
        output.WriteLine(scenario.Swupdate.CommandLine);
        foreach (var request in scenario.Server.Requests.Snapshot())
        {
            output.WriteLine(request.ToString());
        }

        output.WriteLine("--- all feedback details ---");
        foreach (var detail in AllDetails(scenario))
        {
            output.WriteLine(detail);
        }
    }
}
