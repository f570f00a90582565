using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Nova.Firmware.Simulator;
using Nova.Firmware.Simulator.Devices;
using Nova.Firmware.Simulator.Fleet;
using Xunit.Abstractions;

namespace Nova.Firmware.EndToEnd.Tests.Nova;

/// <summary>
/// kill -9 of the server while it pushes images to cameras, then a restart on the same data: no
/// camera is sent the image again before the driver has looked at it, and every camera is flashed
/// exactly once, by the simulated cameras' own record.
/// </summary>
public sealed partial class CameraCrashSafetyTests(ITestOutputHelper output)
{
    private const int Cameras = 12;
    /// <summary>6 MiB at the cameras' 768 KiB/s: about 8 s per upload, a wide window for the kill.</summary>
    private const int ImageBytes = 6 * 1024 * 1024;
    private static readonly string[] Final = ["succeeded", "failed", "blocked", "cancelled"];

    private static readonly Dictionary<string, string> Settings = new()
    {
        ["Nova:Engine:TickInterval"] = "00:00:00.100",
        ["Nova:Engine:RecheckInterval"] = "00:00:00.250",
        // The dead server's leases are taken over after this.
        ["Nova:Engine:LeaseDuration"] = "00:00:03",
        ["Nova:Engine:Deadlines:Transfer"] = "00:01:00",
        ["Nova:Engine:Deadlines:Flash"] = "00:00:30",
        ["Nova:Engine:Deadlines:Reboot"] = "00:00:30",
        ["Nova:Engine:Deadlines:Health"] = "00:00:30",
        ["Nova:Onvif:RequestTimeout"] = "00:00:02",
        ["Nova:Onvif:ReturnGrace"] = "00:00:05",
        // Longer than a camera needs to write an image it fully received (4 s), far shorter than the default.
        ["Nova:Onvif:InterruptedUploadGrace"] = "00:00:05",
    };

    /// <summary>Real time (scale 1): what the camera announces as its down time is what it takes.</summary>
    private static DeviceSpec Camera(string id)
    {
        var spec = CameraScenario.Camera(id);
        spec.FlashWriteSeconds = 4;
        spec.BootSeconds = 2;
        spec.BandwidthBytesPerSecond = 768 * 1024;
        return spec;
    }

    [Fact(Timeout = 300_000)]
    public async Task KillDashNine_DuringCameraUploads_NoBlindResendAndEachCameraFlashedOnce()
    {
        var data = Path.Combine(Path.GetTempPath(), "nova-camera-crash-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(data);
        await using var server = new ServerProcess(data, Settings);
        await server.StartAsync();
        using var admin = NovaApi.Admin(server.BaseAddress);

        var specs = Enumerable.Range(1, Cameras).Select(i => Camera($"cam-{i:D2}")).ToList();
        await using var simulation = new Simulation(new FleetDefinition { TimeScale = 1, Devices = specs });
        simulation.Start();
        foreach (var spec in specs)
        {
            await simulation.WaitForAsync(spec.Id, t => t.Mode == DeviceMode.Normal, TimeSpan.FromSeconds(30));
        }
        await using var cameras = await SimulatorApp.StartAsync(simulation);
        var simulator = new Uri(cameras.Urls.First() + "/");
        var ids = new Dictionary<string, Guid>();
        foreach (var spec in specs)
        {
            ids[spec.Id] = await FleetSteps.EnrolCameraAsync(admin, spec, simulator);
        }
        var package = await FleetSteps.ImportCameraImageAsync(admin, "2.0.0", ImageBytes);

        // Two waves, so that the kill finds uploads at both ends: the first wave's nearly done (the
        // rest of the image already in the sockets' buffers, so the camera may get all of it from a
        // dead server), the second wave's barely begun.
        var jobs = new Dictionary<string, long>();
        var first = specs.Take(Cameras / 2).Select(s => s.Id).ToList();
        foreach (var spec in specs.Take(Cameras / 2))
        {
            jobs[spec.Id] = await FleetSteps.StartJobAsync(admin, ids[spec.Id], package);
        }
        IReadOnlyList<(string Camera, DateTimeOffset Started)> caught = [];
        await FleetSteps.WaitAsync(async () =>
        {
            caught = await UploadsInFlightAsync(admin, jobs);
            return caught.Count(c => DateTimeOffset.UtcNow - c.Started > TimeSpan.FromSeconds(4)) >= 3;
        }, TimeSpan.FromSeconds(90), "3 camera uploads of the first wave in flight for 4 s");
        foreach (var spec in specs.Skip(Cameras / 2))
        {
            jobs[spec.Id] = await FleetSteps.StartJobAsync(admin, ids[spec.Id], package);
        }

        // Kill while uploads are in flight: pushes started (StartFirmwareUpgrade answered) with no
        // outcome yet, some of the first wave near their end, some of the second sending for a while.
        await FleetSteps.WaitAsync(async () =>
        {
            caught = await UploadsInFlightAsync(admin, jobs);
            var age = caught.ToDictionary(c => c.Camera, c => DateTimeOffset.UtcNow - c.Started);
            return age.Count(a => first.Contains(a.Key) && a.Value > TimeSpan.FromSeconds(7.5)) >= 2
                && age.Count(a => !first.Contains(a.Key) && a.Value > TimeSpan.FromSeconds(1.5)) >= 2;
        }, TimeSpan.FromSeconds(90), "uploads of both waves in flight");
        await server.KillAsync();
        var killedAt = DateTimeOffset.UtcNow;
        output.WriteLine($"Killed at {killedAt:HH:mm:ss.fff} with {caught.Count} uploads in flight: "
            + string.Join(", ", caught.Select(c => $"{c.Camera} (started {(killedAt - c.Started).TotalSeconds:F1} s before)")));

        await server.StartAsync();
        await FleetSteps.WaitAsync(async () => (await FleetSteps.JobsAsync(admin)).All(j => Final.Contains(j.Status)), TimeSpan.FromSeconds(150), "every job to end");

        var cutOff = 0;
        var wholeAtKill = 0;
        foreach (var spec in specs)
        {
            var job = await FleetSteps.JobAsync(admin, jobs[spec.Id]);
            var truth = simulation.Truth(spec.Id);
            var uploads = Uploads(truth.SystemLog);
            var (push, issued) = FleetSteps.PushHistory(job);
            output.WriteLine($"{spec.Id}: job {job.GetProperty("status").GetString()}, flashed {truth.FlashCount}, uploads [{string.Join(", ", uploads)}], "
                + $"push [{string.Join(", ", push.Select(p => $"{p.Step}#{p.Attempt}"))}]");
            if (uploads.Contains("never"))
            {
                output.WriteLine(string.Join("\n", NovaSwupdateScenario.TimelineText(job).Select(t => "    " + t)));
            }

            Assert.True(job.GetProperty("status").GetString() == "succeeded", $"{spec.Id}: job ended {job.GetProperty("status").GetString()}: {job.GetProperty("statusReason")}");
            Assert.True(truth.FlashCount == 1, $"{spec.Id} was flashed {truth.FlashCount} times.");
            Assert.Equal("2.0.0", truth.RunningVersion);

            // The camera's record: one upgrade started per attempt the engine issued, and only the
            // last one delivered the image; every earlier one broke off or never began.
            Assert.Equal(issued.Count, uploads.Count);
            Assert.Equal("received", uploads[^1]);
            Assert.All(uploads.SkipLast(1), u => Assert.NotEqual("received", u));
            // Each new attempt was issued only after the driver had looked at the camera and found
            // the previous one lost.
            Assert.Equal(Enumerable.Range(1, issued.Count), issued);
            var lost = push.Where(p => p.Step == "upload-lost").Select(p => p.Attempt).ToList();
            Assert.Equal(Enumerable.Range(1, issued.Count - 1), lost);
            if (issued.Count > 1)
            {
                cutOff++;
            }
            else if (caught.Any(c => c.Camera == spec.Id))
            {
                wholeAtKill++;
            }
        }
        output.WriteLine($"{cutOff} cameras got a second attempt after the driver found the first lost; {wholeAtKill} caught mid-push had the whole image and got none.");
        Assert.True(cutOff > 0, "The kill cut off no upload; the test proved nothing.");
    }

    /// <summary>Cameras whose push of attempt 1 has started and has no outcome yet, with when it started.</summary>
    private static async Task<IReadOnlyList<(string Camera, DateTimeOffset Started)>> UploadsInFlightAsync(HttpClient admin, Dictionary<string, long> jobs)
    {
        var rows = await FleetSteps.JobsAsync(admin);
        var found = new List<(string, DateTimeOffset)>();
        foreach (var (camera, jobId) in jobs)
        {
            if (rows.Single(r => r.Id == jobId).Status != "transferring")
            {
                continue;
            }
            var job = await FleetSteps.JobAsync(admin, jobId);
            var started = job.GetProperty("timeline").EnumerateArray()
                .Where(e => e.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.Object && d.TryGetProperty("onvif", out _))
                .ToList();
            if (started is [var only] && only.GetProperty("data").GetProperty("onvif").GetString() == "upgrade-started")
            {
                found.Add((camera, only.GetProperty("at").GetDateTimeOffset()));
            }
        }
        return found;
    }

    /// <summary>What the camera logged of each upgrade it was asked for, in order: received, broke-off, or never (no upload came).</summary>
    private static List<string> Uploads(IReadOnlyList<string> log)
    {
        var tickets = new List<string>();
        var outcome = new Dictionary<string, string>();
        foreach (var line in log)
        {
            if (StartedLine().Match(line) is { Success: true } s)
            {
                tickets.Add(s.Groups[1].Value);
            }
            else if (UploadLine().Match(line) is { Success: true } u)
            {
                outcome[u.Groups[1].Value] = u.Groups[2].Value;
            }
        }
        return tickets.Select(t => outcome.GetValueOrDefault(t, "never")).ToList();
    }

    [GeneratedRegex(@"firmware upgrade started: upload ticket (\w+)")]
    private static partial Regex StartedLine();

    [GeneratedRegex(@"firmware upload (\w+) (received|broke off)")]
    private static partial Regex UploadLine();
}
