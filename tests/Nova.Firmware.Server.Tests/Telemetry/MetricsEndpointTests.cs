using System.Net;
using System.Security.Cryptography;
using Nova.Firmware.Protocols.Ddi;
using Nova.Firmware.Server.Tests.Builders;
using Nova.Firmware.Server.Tests.Ddi;
using Nova.Firmware.Server.Tests.Infrastructure;

namespace Nova.Firmware.Server.Tests.Telemetry;

[Collection(MetricsCollection.Name)]
public sealed class MetricsEndpointTests
{
    private readonly Dictionary<string, int> _polls = [];

    [Fact]
    public async Task Metrics_AfterOneFlashSucceededAndOneFailed_ShowJobsCauseAndPolls()
    {
        // The recovery loop looks once at start and then not again during the test: a retry job it
        // might start for the failed flash would add transitions this test counts exactly.
        var settings = new Dictionary<string, string>(NovaServer.FastEngine) { ["Nova:Recovery:TickInterval"] = "01:00:00" };
        await using var server = await NovaServer.StartAsync(settings: settings);
        var image = RandomNumberGenerator.GetBytes(150_000);
        var package = await server.AddPackageAsync(image);

        // A flash that succeeds, its artifact downloaded once, whole.
        var good = FleetBuilder.Gateway();
        var ddi = await DdiFixture.EnrolAsync(server, good, checkIn: false);
        await CheckInAsync(server, good.Id, ddi);
        var goodJob = await DdiFixture.StartJobAsync(server, good.Id, package.Id);
        await DdiFixture.JobInStatusAsync(server, goodJob, "transferring");
        var poll = await PollAsync(ddi);
        var deployment = (await ddi.GetDeploymentAsync(poll!.Links.DeploymentBase!.Href))!;
        var artifact = Assert.Single(Assert.Single(deployment.Deployment.Chunks).Artifacts);
        using (var download = await ddi.DownloadAsync(artifact.Links.Download.Href))
        {
            Assert.Equal(image.Length, (await download.Content.ReadAsByteArrayAsync()).Length);
        }
        await ddi.FeedbackAsync(goodJob, "proceeding", "none", "All Chunks Installed.");
        await ddi.FeedbackAsync(goodJob, "closed", "success", "Update Installed.");
        await DdiFixture.JobInStatusAsync(server, goodJob, "verifying");
        await PollAsync(ddi);
        await ddi.ConfigDataAsync(new Dictionary<string, string> { [DdiValues.Attributes.FirmwareVersion] = "2.0.0", [DdiValues.Attributes.HwRevision] = "1.0" });
        Assert.Equal("succeeded", (await DdiFixture.JobInStatusAsync(server, goodJob, "succeeded", "failed")).GetProperty("status").GetString());

        // A flash that fails on a hash mismatch the device reports.
        var bad = FleetBuilder.Gateway();
        var badDdi = await DdiFixture.EnrolAsync(server, bad, checkIn: false);
        await CheckInAsync(server, bad.Id, badDdi);
        var badJob = await DdiFixture.StartJobAsync(server, bad.Id, package.Id);
        await DdiFixture.JobInStatusAsync(server, badJob, "transferring");
        await PollAsync(badDdi);
        await badDdi.FeedbackAsync(badJob, "proceeding", "none", "Software Update started !", "ERROR : HASH mismatch : 1111 <--> 2222");
        await badDdi.FeedbackAsync(badJob, "closed", "failure", "No suitable .swu image found");
        Assert.Equal("checksum-mismatch", (await DdiFixture.JobInStatusAsync(server, badJob, "failed")).GetProperty("cause").GetString());

        // And a poll with a wrong token.
        var stranger = new DdiTestDevice(server.CreateClient(), good.ControllerId, "not-the-token-0123456789");
        Assert.Equal(HttpStatusCode.Unauthorized, (await stranger.PollAsync()).Status);

        using var anonymous = server.CreateClient();
        var response = await anonymous.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var metrics = PrometheusText.Parse(await response.Content.ReadAsStringAsync());

        const string jobs = "nova_device_job_transitions_total";
        Assert.Equal(1, metrics.Sum(jobs, ("nova_job_status", "succeeded")));
        Assert.Equal(1, metrics.Sum(jobs, ("nova_job_status", "failed")));
        Assert.Equal(1, metrics.Sum(jobs, ("nova_job_status", "failed"), ("error_type", "checksum-mismatch")));
        Assert.Equal(2, metrics.Sum(jobs, ("nova_job_status", "transferring")));
        Assert.Equal(1, metrics.Sum("nova_device_job_step_duration_seconds_count", ("nova_job_step", "verifying"), ("nova_job_status", "succeeded")));

        const string polls = "nova_ddi_poll_duration_seconds_count";
        Assert.Equal(1, metrics.Sum(polls, ("nova_ddi_poll_outcome", "unauthorized")));
        foreach (var (outcome, count) in _polls)
        {
            Assert.Equal(count, metrics.Sum(polls, ("nova_ddi_poll_outcome", outcome)));
        }
        Assert.True(_polls.GetValueOrDefault("deployment") >= 2, "both devices were offered their deployment");
        Assert.Equal(_polls.Values.Sum() + 1, metrics.Sum(polls));

        Assert.Equal(image.Length, metrics.Sum("nova_artifact_sent_bytes_total", ("nova_artifact_channel", "ddi")));
        Assert.Equal(2, metrics.Sum("nova_preflight_checks_total", ("nova_preflight_check", "compatibility"), ("nova_preflight_outcome", "pass")));
    }

    /// <summary>The device's first poll, counted, and its last-seen time written (pre-flight waits for it otherwise).</summary>
    private async Task CheckInAsync(NovaServer server, Guid deviceId, DdiTestDevice device)
    {
        await PollAsync(device);
        await Eventually.GetAsync(() => DdiFixture.LastSeenAsync(server, deviceId), seen => seen is not null, what: "last-seen flush");
    }

    /// <summary>Polls and tallies what the poll told the device, the way the server labels it.</summary>
    private async Task<DdiControllerBase?> PollAsync(DdiTestDevice device)
    {
        var (status, body) = await device.PollAsync();
        Assert.Equal(HttpStatusCode.OK, status);
        var outcome = body!.Links.CancelAction is not null ? "cancel" : body.Links.DeploymentBase is not null ? "deployment"
            : body.Links.ConfigData is not null ? "config-data" : "idle";
        _polls[outcome] = _polls.GetValueOrDefault(outcome) + 1;
        return body;
    }
}
