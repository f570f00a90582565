using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Nova.Firmware.Domain.Devices;
using Nova.Firmware.Server.Tests.Builders;
using Nova.Firmware.Server.Tests.Ddi;
using Nova.Firmware.Server.Tests.Infrastructure;

namespace Nova.Firmware.Server.Tests.Recovery;

/// <summary>
/// The recovery ladder through the API, with a scripted DDI device: a failed flash starts a run
/// that operators can follow, approve, and hand to a technician whose photos and verdict it keeps.
/// </summary>
public sealed class RecoveryApiTests
{
    private static readonly IReadOnlyDictionary<string, string> Fast = new Dictionary<string, string>(NovaServer.FastEngine)
    {
        ["Nova:Recovery:TickInterval"] = "00:00:00.100",
        ["Nova:Recovery:RecheckInterval"] = "00:00:00.100",
    };

    private static byte[] Image(int size = 100_000) => RandomNumberGenerator.GetBytes(size);

    private static async Task<(NovaServer Server, DdiTestDevice Ddi, Device Device, long JobId)> FailedFlashAsync(string detail, Func<NovaServer, Task>? catalog = null)
    {
        var server = await NovaServer.StartAsync(settings: Fast);
        var device = FleetBuilder.Gateway();
        var ddi = await DdiFixture.EnrolAsync(server, device);
        var package = await server.AddPackageAsync(Image());
        if (catalog is not null)
        {
            await catalog(server);
        }
        var jobId = await DdiFixture.StartJobAsync(server, device.Id, package.Id);
        await DdiFixture.JobInStatusAsync(server, jobId, "transferring");
        await ddi.FeedbackAsync(jobId, "proceeding", "none", "Software Update started !", detail);
        await ddi.FeedbackAsync(jobId, "closed", "failure", "Installation failed");
        await DdiFixture.JobInStatusAsync(server, jobId, "failed");
        return (server, ddi, device, jobId);
    }

    private static Task<JsonElement> RunAsync(NovaServer server, Guid deviceId, params string[] rungs) =>
        Eventually.GetAsync(async () =>
        {
            using var admin = server.CreateAdminClient();
            var page = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/recoveries?deviceId={deviceId}");
            return page.GetProperty("items").EnumerateArray().FirstOrDefault();
        }, r => r.ValueKind == JsonValueKind.Object && rungs.Contains(r.GetProperty("rung").GetString()), TimeSpan.FromSeconds(30),
            $"the recovery run of {deviceId} to reach {string.Join("/", rungs)}");

    [Fact]
    public async Task ChecksumFailure_RunRetriesWithAFreshActionAndHoldsTheDevice()
    {
        var (server, ddi, device, jobId) = await FailedFlashAsync("ERROR : HASH mismatch : 1111 <--> 2222");
        await using var _ = server;
        using var admin = server.CreateAdminClient();

        var run = await RunAsync(server, device.Id, "retrying");

        Assert.Equal("checksum-mismatch", run.GetProperty("cause").GetString());
        Assert.Equal(jobId, run.GetProperty("failedJobId").GetInt64());
        var retryJobId = run.GetProperty("retryJobId").GetInt64();
        Assert.NotEqual(jobId, retryJobId);
        var retry = await DdiFixture.JobAsync(server, retryJobId);
        Assert.Equal(run.GetProperty("id").GetInt64(), retry.GetProperty("recoveryRunId").GetInt64());
        // The device is told about a new action: it downloads from scratch, never resumes the bad copy.
        await DdiFixture.JobInStatusAsync(server, retryJobId, "transferring");
        var poll = await ddi.PollAsync();
        Assert.Contains($"/deploymentBase/{retryJobId}", poll.Body!.Links.DeploymentBase!.Href, StringComparison.Ordinal);
        // While the run holds the device, nobody starts another job on it or deletes it.
        var package = await server.AddPackageAsync(Image(), version: "3.0.0");
        using var busy = await admin.PostAsJsonAsync($"/api/v1/devices/{device.Id}/jobs", new { packageId = package.Id });
        Assert.Equal(HttpStatusCode.Conflict, busy.StatusCode);
        Assert.Contains("recovery run", await busy.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var delete = await admin.DeleteAsync($"/api/v1/devices/{device.Id}");
        Assert.Equal(HttpStatusCode.Conflict, delete.StatusCode);
        // The job's diagnosis names the run.
        var diagnosis = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/jobs/{jobId}/diagnosis");
        Assert.Equal("checksum-mismatch", diagnosis.GetProperty("cause").GetString());
        Assert.Equal(run.GetProperty("id").GetInt64(), diagnosis.GetProperty("recovery").GetProperty("id").GetInt64());

        // The retry succeeds: the run ends recovered on the intended version.
        await ddi.FeedbackAsync(retryJobId, "closed", "success", "Update Installed.");
        await DdiFixture.JobInStatusAsync(server, retryJobId, "verifying");
        await ddi.ConfigDataAsync(new Dictionary<string, string> { ["firmwareVersion"] = "2.0.0", ["bootMode"] = "normal" });
        // The device keeps polling as a real one does, until the run has seen it healthy.
        var done = await Eventually.GetAsync(async () =>
        {
            await ddi.PollAsync();
            using var c = server.CreateAdminClient();
            var page = await c.GetFromJsonAsync<JsonElement>($"/api/v1/recoveries?deviceId={device.Id}");
            return page.GetProperty("items")[0];
        }, r => r.GetProperty("rung").GetString() == "recovered", TimeSpan.FromSeconds(60), "the run to recover the device");
        Assert.Equal("2.0.0", done.GetProperty("recoveredVersion").GetString());
        Assert.False(done.GetProperty("active").GetBoolean());
    }

    [Fact]
    public async Task SpaceFailureOnADeviceWithoutCleanUp_BlockedWithTheShortfall()
    {
        var (server, ddi, device, _) = await FailedFlashAsync("ERROR : write failed: No space left on device");
        await using var __ = server;
        await ddi.ConfigDataAsync(new Dictionary<string, string> { ["freeBytes"] = "40000", ["totalBytes"] = "1000000" });

        var run = await RunAsync(server, device.Id, "blocked");

        Assert.Equal("insufficient-space", run.GetProperty("cause").GetString());
        Assert.Equal("space", run.GetProperty("blockingCheck").GetString());
        // Short of what the retry's own pre-flight would require: the image plus the space margin.
        var required = new Nova.Firmware.Domain.Preflight.PreflightOptions().RequiredFreeBytes(100_000);
        Assert.Equal(required - 40_000, run.GetProperty("shortfallBytes").GetInt64());
        Assert.Contains("clear log partitions", run.GetProperty("statusReason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongHardware_ProposesTheMatchingPackageAndApprovalStartsIt_OnlyOnce()
    {
        Guid proposed = Guid.Empty;
        var (server, _, device, _) = await FailedFlashAsync("ERROR : SW not compatible with hardware",
            async s => proposed = (await s.AddPackageAsync(Image(), version: "2.0.1", fileName: "rev-fit.swu")).Id);
        await using var __ = server;
        using var admin = server.CreateAdminClient();

        var run = await RunAsync(server, device.Id, "awaiting-approval");
        Assert.Equal("wrong-hardware", run.GetProperty("cause").GetString());
        Assert.Equal(proposed, run.GetProperty("proposedPackageId").GetGuid());
        var id = run.GetProperty("id").GetInt64();

        using var approve = await admin.PostAsync($"/api/v1/recoveries/{id}/approve", null);
        Assert.Equal(HttpStatusCode.OK, approve.StatusCode);
        using var again = await admin.PostAsync($"/api/v1/recoveries/{id}/approve", null);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        var retrying = await RunAsync(server, device.Id, "retrying");
        var job = await DdiFixture.JobAsync(server, retrying.GetProperty("retryJobId").GetInt64());
        Assert.Equal(proposed, job.GetProperty("packageId").GetGuid());
        Assert.Equal(1, retrying.GetProperty("retries").GetInt32());
    }

    [Fact]
    public async Task UnknownFailureOnASilentDeviceWithoutTftp_TechnicianTaskThenPhotosThenDoneVerifies()
    {
        var (server, ddi, device, _) = await FailedFlashAsync("Installation failed");
        await using var __ = server;
        using var admin = server.CreateAdminClient();

        var run = await RunAsync(server, device.Id, "awaiting-technician");
        Assert.Contains("TFTP server is off", run.GetProperty("statusReason").GetString(), StringComparison.Ordinal);
        var taskId = run.GetProperty("technicianTaskId").GetInt64();
        var task = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/technician-tasks/{taskId}");
        Assert.Equal("open", task.GetProperty("status").GetString());
        var steps = string.Join("\n", task.GetProperty("steps").EnumerateArray().Select(s => s.GetString()));
        Assert.Contains($"{device.Model}, revision {device.HardwareRevision}", steps, StringComparison.Ordinal);
        Assert.Contains("Photograph the hardware revision sticker and the status LEDs", steps, StringComparison.Ordinal);
        var open = await admin.GetFromJsonAsync<JsonElement>("/api/v1/technician-tasks?status=open");
        Assert.Contains(open.GetProperty("items").EnumerateArray(), t => t.GetProperty("id").GetInt64() == taskId);

        // Photos: only images, never empty; the name is kept to a plain file name.
        using (var text = new ByteArrayContent("hello"u8.ToArray()))
        {
            text.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
            using var refused = await admin.PostAsync($"/api/v1/technician-tasks/{taskId}/photos?fileName=a.txt", text);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        }
        using (var empty = new ByteArrayContent([]))
        {
            empty.Headers.ContentType = new MediaTypeHeaderValue("image/png");
            using var refused = await admin.PostAsync($"/api/v1/technician-tasks/{taskId}/photos", empty);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        }
        var png = RandomNumberGenerator.GetBytes(2048);
        using var photo = new ByteArrayContent(png);
        photo.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        using var stored = await admin.PostAsync($"/api/v1/technician-tasks/{taskId}/photos?fileName=..%2F..%2Fsticker.png&caption=revision%20sticker", photo);
        Assert.Equal(HttpStatusCode.Created, stored.StatusCode);
        var meta = await stored.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("sticker.png", meta.GetProperty("fileName").GetString());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(png)), meta.GetProperty("sha256").GetString());
        Assert.Equal(png, await admin.GetByteArrayAsync(meta.GetProperty("url").GetString()));

        // Done: the engine verifies the device; it comes back normal and reports its version.
        using var complete = await admin.PostAsJsonAsync($"/api/v1/technician-tasks/{taskId}/complete", new { note = "SD card reflash" });
        Assert.Equal(HttpStatusCode.OK, complete.StatusCode);
        using var twice = await admin.PostAsJsonAsync($"/api/v1/technician-tasks/{taskId}/complete", new { note = "again" });
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        await RunAsync(server, device.Id, "verifying");
        // A DDI device is asked for its attributes while the run looks at it.
        var poll = await ddi.PollAsync();
        Assert.NotNull(poll.Body!.Links.ConfigData);
        await ddi.ConfigDataAsync(new Dictionary<string, string> { ["firmwareVersion"] = "1.0.0", ["bootMode"] = "normal", ["led"] = "solid-green" });
        var recovered = await Eventually.GetAsync(async () =>
        {
            await ddi.PollAsync();
            using var c = server.CreateAdminClient();
            return (await c.GetFromJsonAsync<JsonElement>($"/api/v1/recoveries/{run.GetProperty("id").GetInt64()}"));
        }, r => r.GetProperty("rung").GetString() == "recovered", TimeSpan.FromSeconds(30), "recovered");
        Assert.Equal("1.0.0", recovered.GetProperty("recoveredVersion").GetString());
        var device2 = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/devices/{device.Id}");
        Assert.Equal("healthy", device2.GetProperty("health").GetProperty("status").GetString());
    }

    [Fact]
    public async Task TechnicianFails_RunEndsInRma()
    {
        var (server, _, device, _) = await FailedFlashAsync("Installation failed");
        await using var __ = server;
        using var admin = server.CreateAdminClient();
        var run = await RunAsync(server, device.Id, "awaiting-technician");
        // A device that is not back is not healthy in the inventory.
        var inventory = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/devices/{device.Id}");
        Assert.Equal("degraded", inventory.GetProperty("health").GetProperty("status").GetString());

        var taskId = run.GetProperty("technicianTaskId").GetInt64();
        var jpeg = RandomNumberGenerator.GetBytes(1024);
        using var photo = new ByteArrayContent(jpeg);
        photo.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsync($"/api/v1/technician-tasks/{taskId}/photos?fileName=leds.jpg", photo)).StatusCode);

        using var fail = await admin.PostAsJsonAsync($"/api/v1/technician-tasks/{taskId}/fail", new { note = "no LED at all" });

        Assert.Equal(HttpStatusCode.OK, fail.StatusCode);
        var rma = await RunAsync(server, device.Id, "rma");
        Assert.Contains("no LED at all", rma.GetProperty("statusReason").GetString(), StringComparison.Ordinal);
        // The bundle for the vendor holds the technician's photo and the diagnosis.
        using var bundle = new System.IO.Compression.ZipArchive(new MemoryStream(await admin.GetByteArrayAsync($"/api/v1/devices/{device.Id}/rma-bundle")));
        var photoEntry = Assert.Single(bundle.Entries, e => e.FullName.StartsWith("photos/", StringComparison.Ordinal) && e.FullName.EndsWith("leds.jpg", StringComparison.Ordinal));
        using (var read = new MemoryStream())
        {
            await using var stream = await photoEntry.OpenAsync();
            await stream.CopyToAsync(read);
            Assert.Equal(jpeg, read.ToArray());
        }
        Assert.Contains(bundle.Entries, e => e.FullName == "diagnosis.json");
    }

    [Fact]
    public async Task UnknownRunsAndTasks_404ProblemDetails_BadFilters400()
    {
        await using var server = await NovaServer.StartAsync(settings: Fast);
        using var admin = server.CreateAdminClient();

        foreach (var url in new[] { "/api/v1/recoveries/999", "/api/v1/technician-tasks/999", "/api/v1/jobs/999/diagnosis" })
        {
            using var response = await admin.GetAsync(url);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
        using var approve = await admin.PostAsync("/api/v1/recoveries/999/approve", null);
        Assert.Equal(HttpStatusCode.NotFound, approve.StatusCode);
        using var rung = await admin.GetAsync("/api/v1/recoveries?rung=nowhere");
        Assert.Equal(HttpStatusCode.BadRequest, rung.StatusCode);
        using var reattempt = await admin.PutAsJsonAsync("/api/v1/recoveries/1/reattempt", new { });
        Assert.Equal(HttpStatusCode.BadRequest, reattempt.StatusCode);
    }
}
