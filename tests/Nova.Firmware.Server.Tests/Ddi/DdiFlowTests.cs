using System.Globalization;
using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Nova.Firmware.Domain.Devices;
using Nova.Firmware.Persistence;
using Nova.Firmware.Server.Auth;
using Nova.Firmware.Protocols.Ddi;
using Nova.Firmware.Server.Tests.Builders;
using Nova.Firmware.Server.Tests.Infrastructure;

namespace Nova.Firmware.Server.Tests.Ddi;

public sealed class DdiFlowTests
{
    private static byte[] Image(int size = 200_000) => RandomNumberGenerator.GetBytes(size);

    [Theory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task Flash_DeviceInstallsRebootsAndReportsNewVersion_Succeeds(DatabaseProvider provider)
    {
        await using var server = await NovaServer.StartAsync(provider, settings: NovaServer.FastEngine);
        var device = FleetBuilder.Gateway();
        var ddi = await DdiFixture.EnrolAsync(server, device);
        var image = Image();
        var package = await server.AddPackageAsync(image);
        var jobId = await DdiFixture.StartJobAsync(server, device.Id, package.Id);
        await DdiFixture.JobInStatusAsync(server, jobId, "transferring");

        var poll = (await ddi.PollAsync()).Body!;
        Assert.NotNull(poll.Links.DeploymentBase);
        var deployment = (await ddi.GetDeploymentAsync(poll.Links.DeploymentBase!.Href))!;
        var artifact = Assert.Single(Assert.Single(deployment.Deployment.Chunks).Artifacts);
        Assert.Equal(package.Sha256, artifact.Hashes.Sha256);
        Assert.Equal(package.Sha1, artifact.Hashes.Sha1);

        // Download in two parts, the second resumed with Range like SWUpdate does.
        using var first = await ddi.DownloadAsync(artifact.Links.Download.Href);
        var head = (await first.Content.ReadAsByteArrayAsync()).Take(1000).ToArray();
        using var rest = await ddi.DownloadAsync(artifact.Links.Download.Href, from: 1000);
        Assert.Equal(HttpStatusCode.PartialContent, rest.StatusCode);
        var received = head.Concat(await rest.Content.ReadAsByteArrayAsync()).ToArray();
        Assert.Equal(package.Sha256, Convert.ToHexStringLower(SHA256.HashData(received)));

        Assert.Equal(HttpStatusCode.OK, await ddi.FeedbackAsync(jobId, "proceeding", "none", "Installing Update Chunk Artifacts."));
        Assert.Equal(HttpStatusCode.OK, await ddi.FeedbackAsync(jobId, "proceeding", "none", "All Chunks Installed."));
        await DdiFixture.JobInStatusAsync(server, jobId, "rebooting");
        // Written but not yet confirmed: the action is still offered (SWUpdate takes its id from it).
        Assert.NotNull((await ddi.PollAsync()).Body!.Links.DeploymentBase);

        Assert.Equal(HttpStatusCode.OK, await ddi.FeedbackAsync(jobId, "closed", "success", "Update Installed."));
        await DdiFixture.JobInStatusAsync(server, jobId, "verifying");
        var afterClose = (await ddi.PollAsync()).Body!;
        Assert.Null(afterClose.Links.DeploymentBase);
        Assert.NotNull(afterClose.Links.ConfigData);
        Assert.Equal("verifying", (await DdiFixture.JobAsync(server, jobId)).GetProperty("status").GetString());

        await ddi.ConfigDataAsync(new Dictionary<string, string> { [DdiValues.Attributes.FirmwareVersion] = "2.0.0", [DdiValues.Attributes.HwRevision] = "1.0" });
        var done = await DdiFixture.JobInStatusAsync(server, jobId, "succeeded", "failed");
        Assert.Equal("succeeded", done.GetProperty("status").GetString());
        var timeline = done.GetProperty("timeline").EnumerateArray().Select(e => e.GetProperty("message").GetString()).ToList();
        Assert.Contains(timeline, m => m!.Contains("All Chunks Installed", StringComparison.Ordinal));
        Assert.NotEqual(JsonValueKind.Null, done.GetProperty("preFlashSnapshot").ValueKind);
    }

    [Fact]
    public async Task Flash_AbDeviceReportsSuccessButRunsOldSlot_FailsWithBootFailure()
    {
        await using var server = await NovaServer.StartAsync(settings: NovaServer.FastEngine);
        var device = FleetBuilder.Gateway();
        device.Capabilities.AbSlots = true;
        var ddi = await DdiFixture.EnrolAsync(server, device);
        var package = await server.AddPackageAsync(Image());
        var jobId = await DdiFixture.StartJobAsync(server, device.Id, package.Id);
        await DdiFixture.JobInStatusAsync(server, jobId, "transferring");

        await ddi.FeedbackAsync(jobId, "closed", "success", "Update Installed.");
        await DdiFixture.JobInStatusAsync(server, jobId, "verifying");
        await ddi.ConfigDataAsync(new Dictionary<string, string>
        {
            [DdiValues.Attributes.FirmwareVersion] = "1.0.0",
            [DdiValues.Attributes.InactiveFirmwareVersion] = "2.0.0",
        });

        var done = await DdiFixture.JobInStatusAsync(server, jobId, "succeeded", "failed");
        Assert.Equal("failed", done.GetProperty("status").GetString());
        Assert.Equal("boot-failure", done.GetProperty("cause").GetString());
    }

    [Theory]
    [InlineData("ERROR : HASH mismatch : 1111 <--> 2222", "checksum-mismatch")]
    [InlineData("ERROR : SW not compatible with hardware", "wrong-hardware")]
    [InlineData("Channel get operation aborted because of too many failed download attempts (2).", "checksum-mismatch")]
    public async Task Flash_DeviceReportsFailure_FailsWithCauseAndKeepsItsWords(string detail, string cause)
    {
        await using var server = await NovaServer.StartAsync(settings: NovaServer.FastEngine);
        var device = FleetBuilder.Gateway();
        var ddi = await DdiFixture.EnrolAsync(server, device);
        var package = await server.AddPackageAsync(Image());
        var jobId = await DdiFixture.StartJobAsync(server, device.Id, package.Id);
        await DdiFixture.JobInStatusAsync(server, jobId, "transferring");

        // The cause is in an earlier log dump; the closing post only says the install failed.
        await ddi.FeedbackAsync(jobId, "proceeding", "none", "Software Update started !", detail);
        await ddi.FeedbackAsync(jobId, "closed", "failure", "No suitable .swu image found");

        var done = await DdiFixture.JobInStatusAsync(server, jobId, "failed");
        Assert.Equal(cause, done.GetProperty("cause").GetString());
        Assert.Contains(detail.Split(':')[^1].Trim(), done.GetProperty("statusReason").GetString(), StringComparison.Ordinal);
        Assert.Null((await ddi.PollAsync()).Body!.Links.DeploymentBase);
    }

    [Fact]
    public async Task Feedback_BrokenJson_IsKeptRawAndStillClassified()
    {
        await using var server = await NovaServer.StartAsync(settings: NovaServer.FastEngine);
        var device = FleetBuilder.Gateway();
        var ddi = await DdiFixture.EnrolAsync(server, device);
        var package = await server.AddPackageAsync(Image());
        var jobId = await DdiFixture.StartJobAsync(server, device.Id, package.Id);
        await DdiFixture.JobInStatusAsync(server, jobId, "transferring");

        // SWUpdate does not escape quotes inside details.
        const string broken = """{ "id": 1, "status": { "result": { "finished": "failure" }, "execution": "closed", "details" : [ "ERROR : HASH mismatch : "abc" <--> "def"" ] } }""";
        Assert.Equal(HttpStatusCode.OK, await ddi.PostRawAsync($"{ddi.Base}/deploymentBase/{jobId}/feedback", broken));

        var done = await DdiFixture.JobInStatusAsync(server, jobId, "failed");
        Assert.Equal("checksum-mismatch", done.GetProperty("cause").GetString());
        var feedback = done.GetProperty("timeline").EnumerateArray().Single(e => e.GetProperty("kind").GetString() == "feedback");
        Assert.Equal(broken, feedback.GetProperty("data").GetProperty("raw").GetString());
    }

    [Fact]
    public async Task Preflight_PackageForOtherRevision_BlocksAndNeverServesTheAction()
    {
        await using var server = await NovaServer.StartAsync(settings: NovaServer.FastEngine);
        var device = FleetBuilder.Gateway(revision: "1.0");
        var ddi = await DdiFixture.EnrolAsync(server, device);
        var wrong = await server.AddPackageAsync(Image(), revision: "2.0");
        var right = await server.AddPackageAsync(Image(), revision: "1.0", version: "2.0.1");
        var jobId = await DdiFixture.StartJobAsync(server, device.Id, wrong.Id);

        var done = await DdiFixture.JobInStatusAsync(server, jobId, "blocked");
        Assert.Equal("compatibility", done.GetProperty("blockingCheck").GetString());
        Assert.Contains(right.Id.ToString(), done.GetProperty("statusReason").GetString(), StringComparison.Ordinal);
        Assert.Null((await ddi.PollAsync()).Body!.Links.DeploymentBase);
        using var artifact = await ddi.DownloadAsync($"{ddi.Base}/softwaremodules/{wrong.Id}/artifacts/{wrong.FileName}");
        Assert.Equal(HttpStatusCode.NotFound, artifact.StatusCode);
        Assert.Equal("blocked", (await DdiFixture.JobAsync(server, jobId)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Artifact_Head_GivesSizeAndTagWithoutABodyOrATimelineEntry()
    {
        await using var server = await NovaServer.StartAsync(settings: NovaServer.FastEngine);
        var device = FleetBuilder.Gateway();
        var ddi = await DdiFixture.EnrolAsync(server, device);
        var package = await server.AddPackageAsync(Image());
        var jobId = await DdiFixture.StartJobAsync(server, device.Id, package.Id);
        await DdiFixture.JobInStatusAsync(server, jobId, "transferring");
        var href = $"{ddi.Base}/softwaremodules/{package.Id}/artifacts/{package.FileName}";

        using var head = await ddi.DownloadAsync(href, headOnly: true);

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(package.Size, head.Content.Headers.ContentLength);
        Assert.Equal($"\"{package.Sha256}\"", head.Headers.ETag?.Tag);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        var timeline = (await DdiFixture.JobAsync(server, jobId)).GetProperty("timeline").EnumerateArray();
        Assert.DoesNotContain(timeline, e => e.GetProperty("kind").GetString() == "transfer");
        var stranger = new DdiTestDevice(server.CreateClient(), device.ControllerId, "not-a-token-of-anyone");
        using var refused = await stranger.DownloadAsync(href, headOnly: true);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task Ddi_DeviceReadsOnlyItsOwnActionsAndArtifacts()
    {
        await using var server = await NovaServer.StartAsync(settings: NovaServer.FastEngine);
        var a = FleetBuilder.Gateway();
        var b = FleetBuilder.Gateway();
        var ddiA = await DdiFixture.EnrolAsync(server, a);
        var ddiB = await DdiFixture.EnrolAsync(server, b);
        var package = await server.AddPackageAsync(Image());
        var jobA = await DdiFixture.StartJobAsync(server, a.Id, package.Id);
        await DdiFixture.JobInStatusAsync(server, jobA, "transferring");

        Assert.Null(await ddiB.GetDeploymentAsync($"{ddiB.Base}/deploymentBase/{jobA}"));
        using (var steal = await ddiB.DownloadAsync($"{ddiB.Base}/softwaremodules/{package.Id}/artifacts/{package.FileName}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, steal.StatusCode);
        }
        Assert.Equal(HttpStatusCode.NotFound, await ddiB.FeedbackAsync(jobA, "closed", "success", "Update Installed."));
        // B's token on A's path is refused outright.
        var impostor = new DdiTestDevice(server.CreateClient(), a.ControllerId, "not-a-token-of-anyone");
        Assert.Equal(HttpStatusCode.Unauthorized, (await impostor.PollAsync()).Status);
        Assert.Equal("transferring", (await DdiFixture.JobAsync(server, jobA)).GetProperty("status").GetString());
        Assert.NotNull((await ddiA.PollAsync()).Body!.Links.DeploymentBase);
    }

    [Fact]
    public async Task DdiToken_Replaced_OldTokenIsRefusedAtOnce()
    {
        await using var server = await NovaServer.StartAsync(settings: NovaServer.FastEngine);
        var device = FleetBuilder.Gateway();
        var old = await DdiFixture.EnrolAsync(server, device);
        Assert.Equal(HttpStatusCode.OK, (await old.PollAsync()).Status);

        using var admin = server.CreateAdminClient();
        var replaced = await admin.PostAsJsonAsync($"/api/v1/devices/{device.Id}/ddi-token", new { token = "a-brand-new-token-0001" });
        replaced.EnsureSuccessStatusCode();

        Assert.Equal(HttpStatusCode.Unauthorized, (await old.PollAsync()).Status);
        var fresh = new DdiTestDevice(server.CreateClient(), device.ControllerId, "a-brand-new-token-0001");
        Assert.Equal(HttpStatusCode.OK, (await fresh.PollAsync()).Status);
    }

    [Fact]
    public async Task DdiToken_ReplacedByAnotherReplica_WithoutTokenCache_OldTokenIsRefusedAtOnce()
    {
        var settings = new Dictionary<string, string>(NovaServer.FastEngine) { ["Nova:Ddi:TokenCacheTime"] = "00:00:00" };
        await using var server = await NovaServer.StartAsync(settings: settings);
        var device = FleetBuilder.Gateway();
        var old = await DdiFixture.EnrolAsync(server, device);
        Assert.Equal(HttpStatusCode.OK, (await old.PollAsync()).Status);

        // Another replica replaces the token: this one only sees the database change.
        var newHash = ApiKeySecrets.Hash("a-token-set-elsewhere-0001");
        await server.WithScope(s => s.GetRequiredService<FirmwareDbContext>().Set<DeviceToken>()
            .Where(t => t.DeviceId == device.Id).ExecuteUpdateAsync(u => u.SetProperty(t => t.TokenHash, newHash)));

        Assert.Equal(HttpStatusCode.Unauthorized, (await old.PollAsync()).Status);
        var fresh = new DdiTestDevice(server.CreateClient(), device.ControllerId, "a-token-set-elsewhere-0001");
        Assert.Equal(HttpStatusCode.OK, (await fresh.PollAsync()).Status);
    }

    [Fact]
    public async Task JobEvents_StreamsEachStatusChangeAsServerSentEvents()
    {
        await using var server = await NovaServer.StartAsync(settings: NovaServer.FastEngine);
        var device = FleetBuilder.Gateway();
        await DdiFixture.EnrolAsync(server, device);
        var package = await server.AddPackageAsync(Image(), revision: "9.9");
        using var admin = server.CreateAdminClient();
        using var events = await admin.GetAsync("/api/v1/jobs/events", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", events.Content.Headers.ContentType?.MediaType);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var stream = SseParser.Create(await events.Content.ReadAsStreamAsync()).EnumerateAsync(timeout.Token).GetAsyncEnumerator(timeout.Token);
        // The stream says "ready" first: from then on no change is missed, so start the job after it.
        Assert.True(await stream.MoveNextAsync());
        Assert.Equal("ready", stream.Current.EventType);
        var readyId = stream.Current.EventId!;
        var jobId = await DdiFixture.StartJobAsync(server, device.Id, package.Id);

        var seen = new List<string>();
        var ids = new List<long>();
        while (!seen.Contains("blocked"))
        {
            Assert.True(await stream.MoveNextAsync(), "the stream ended early");
            Assert.Equal("job", stream.Current.EventType);
            var job = JsonDocument.Parse(stream.Current.Data).RootElement;
            Assert.Equal(jobId, job.GetProperty("id").GetInt64());
            seen.Add(job.GetProperty("status").GetString()!);
            ids.Add(long.Parse(stream.Current.EventId!, CultureInfo.InvariantCulture));
        }
        await stream.DisposeAsync();
        Assert.Equal(ids.Order(), ids); // event ids are resume points: they never go back
        Assert.Equal("blocked", seen[^1]);

        // A client that lost the connection resumes from the last id it saw and misses nothing.
        using var resume = new HttpRequestMessage(HttpMethod.Get, "/api/v1/jobs/events");
        resume.Headers.Add("Last-Event-ID", readyId);
        using var resumed = await admin.SendAsync(resume, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        await using var again = SseParser.Create(await resumed.Content.ReadAsStreamAsync(timeout.Token)).EnumerateAsync(timeout.Token).GetAsyncEnumerator(timeout.Token);
        Assert.True(await again.MoveNextAsync());
        Assert.Equal("ready", again.Current.EventType);
        Assert.True(await again.MoveNextAsync());
        var latest = JsonDocument.Parse(again.Current.Data).RootElement;
        Assert.Equal(jobId, latest.GetProperty("id").GetInt64());
        Assert.Equal("blocked", latest.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Delete_DeviceWithActiveJob_RefusedUntilTheJobEndsThenGoesWithItsHistory()
    {
        await using var server = await NovaServer.StartAsync(settings: NovaServer.FastEngine);
        var device = FleetBuilder.Gateway();
        // Never polls: its job waits for the first contact, active and cancellable.
        await DdiFixture.EnrolAsync(server, device, checkIn: false);
        var package = await server.AddPackageAsync(Image());
        var jobId = await DdiFixture.StartJobAsync(server, device.Id, package.Id);
        var waiting = await DdiFixture.JobInStatusAsync(server, jobId, "waiting");
        Assert.Contains("never contacted", waiting.GetProperty("statusReason").GetString());
        using var admin = server.CreateAdminClient();

        using var refused = await admin.DeleteAsync($"/api/v1/devices/{device.Id}");
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Contains($"/api/v1/jobs/{jobId}/cancel", await refused.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/api/v1/devices/{device.Id}")).StatusCode);
        using var packageRefused = await admin.DeleteAsync($"/api/v1/packages/{package.Id}");
        Assert.Equal(HttpStatusCode.Conflict, packageRefused.StatusCode);

        Assert.Equal(HttpStatusCode.Accepted, (await admin.PostAsync($"/api/v1/jobs/{jobId}/cancel", null)).StatusCode);
        await DdiFixture.JobInStatusAsync(server, jobId, "cancelled");
        using var deleted = await admin.DeleteAsync($"/api/v1/devices/{device.Id}");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/v1/devices/{device.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/v1/jobs/{jobId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/packages/{package.Id}")).StatusCode);
    }
}
