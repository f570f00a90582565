using System.Text;
using System.Text.Json;
using Nova.Firmware.Domain.Devices;
using Nova.Firmware.Domain.Diagnosis;
using Nova.Firmware.Domain.Drivers;
using Nova.Firmware.Domain.Jobs;
using Nova.Firmware.Domain.Timeline;
using Nova.Firmware.Engine.Jobs;
using Nova.Firmware.Server.Rma;
using Nova.Firmware.Server.Tests.Builders;

namespace Nova.Firmware.Server.Tests.Rma;

public sealed class RmaBundleWriterTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 4, 10, 15, 0, TimeSpan.Zero);

    private static DeviceJob Job(long id, Device device, DeviceJobStatus status, string? snapshotLog = null, FailureCause? cause = null, string? reason = null) => new()
    {
        Id = id, DeviceId = device.Id, PackageId = Guid.NewGuid(), Status = status, Cause = cause, StatusReason = reason,
        TargetVersion = $"2.0.{id}", PreviousVersion = "1.0.0", CreatedBy = "operator-1", CreatedAt = T0.AddHours(id), UpdatedAt = T0.AddHours(id).AddMinutes(5),
        PreFlashSnapshot = snapshotLog is null ? null : PreFlashSnapshot.Capture(device, null, DriverResult.Done(snapshotLog), T0.AddHours(id)),
    };

    private static RmaBundleContent FullContent()
    {
        var device = FleetBuilder.Gateway("gw-0042");
        device.Name = "Rack 2";
        device.Site = "hq";
        device.PowerFeed = new PowerFeed { SwitchId = "poe-sw-1", Port = 7 };
        device.Firmware = new FirmwareState { ActiveVersion = "1.0.0", InactiveVersion = "0.9.0" };
        var report = new DeviceReport { DeviceId = device.Id, ReportedAt = T0, BootMode = "recovery", Led = "blinking-red", ResetReason = "power-loss", AttributesJson = """{"hwRevision":"1.0","uptime":"12"}""" };
        var jobs = new List<RmaJob>
        {
            new(Job(1, device, DeviceJobStatus.Succeeded, snapshotLog: "old log line"), "Acme", "2.0.1", "update.swu"),
            new(Job(2, device, DeviceJobStatus.Blocked, reason: "Short by 10 bytes, \"space\"\nsecond line"), "Acme", "2.0.2", "update.swu"),
            new(Job(3, device, DeviceJobStatus.Failed, snapshotLog: "kernel: eth0 up\nswupdate: starting", cause: FailureCause.PowerLoss,
                reason: "=The device vanished mid-flash and came back with reset reason power-loss."), "Acme", "2.0.3", "update.swu"),
        };
        var timeline = new List<TimelineEntry>
        {
            new() { Id = 10, DeviceId = device.Id, JobId = 3, At = T0.AddHours(3), Kind = TimelineEntryKind.Transition, Message = "queued -> preflight" },
            new() { Id = 11, DeviceId = device.Id, JobId = 3, At = T0.AddHours(3).AddSeconds(5), Kind = TimelineEntryKind.Feedback, Message = "proceeding", Data = """{"details":["Installing"]}""" },
            new() { Id = 12, DeviceId = device.Id, JobId = 3, At = T0.AddHours(3).AddSeconds(9), Kind = TimelineEntryKind.Power, Message = "The device came back with reset reason 'power-loss'." },
            new() { Id = 13, DeviceId = device.Id, JobId = null, At = T0.AddHours(4), Kind = TimelineEntryKind.Telemetry, Message = "Reported version 1.0.0\nsecond line", Data = "not json" },
        };
        var photos = new List<RmaPhoto>
        {
            new(@"C:\Users\tech\sticker.jpg", "image/jpeg", [0xFF, 0xD8, 0xFF, 1, 2, 3], "Hardware revision sticker"),
            new("../../etc/passwd", "image/png", [0x89, 0x50, 0x4E, 0x47], null),
            new("", "image/jpeg", [0xFF, 0xD8], "LEDs\nblinking"),
        };
        return new RmaBundleContent(device, report, jobs, timeline, RmaSystemLog.Read(T0.AddDays(1), "Dec  5 10:15:00 gw swupdate: idle\n"), photos, T0.AddDays(1), "admin")
        {
            ServerUrl = "https://fw.example.com/",
        };
    }

    private static RmaBundleReader Write(RmaBundleContent content)
    {
        using var zip = new MemoryStream();
        RmaBundleWriter.Write(content, zip);
        return new RmaBundleReader(zip.ToArray());
    }

    [Fact]
    public void Write_FullContent_OpensAsZipWithEveryListedPartAndRightHashes()
    {
        var bundle = Write(FullContent());

        bundle.AssertManifestMatches();
        Assert.Equal(
            ["identity.json", "firmware-history.csv", "pre-flash-log.txt", "pre-flash/1.txt", "system-log.txt", "timeline.json", "timeline.txt", "diagnosis.json",
             "photos/01-sticker.jpg", "photos/02-passwd", "photos/03-photo.jpg"],
            bundle.ListedPaths);
        Assert.Equal("nova-firmware-rma-bundle", bundle.Manifest.GetProperty("format").GetString());
        Assert.Equal("gw-0042", bundle.Manifest.GetProperty("device").GetProperty("controllerId").GetString());
        Assert.Equal([0xFF, 0xD8, 0xFF, 1, 2, 3], bundle.Entries["photos/01-sticker.jpg"]);
        Assert.Contains("Hardware revision sticker", bundle.Text("README.txt"));
        Assert.Contains("LEDs blinking", bundle.Text("README.txt"));
    }

    [Fact]
    public void Write_FullContent_IdentityHoldsInventoryAndLastReport()
    {
        var identity = Write(FullContent()).Json("identity.json");

        var device = identity.GetProperty("device");
        Assert.Equal("gw-0042", device.GetProperty("controllerId").GetString());
        Assert.Equal("Acme", device.GetProperty("vendor").GetString());
        Assert.Equal("1.0", device.GetProperty("hardwareRevision").GetString());
        Assert.Equal("aarch64", device.GetProperty("soc").GetString());
        Assert.Equal("0.9.0", device.GetProperty("firmware").GetProperty("inactiveVersion").GetString());
        Assert.Equal("poe-sw-1", device.GetProperty("powerFeed").GetProperty("switchId").GetString());
        Assert.Equal("hq", device.GetProperty("site").GetString());
        Assert.Equal("unknown", device.GetProperty("health").GetProperty("status").GetString());
        var report = identity.GetProperty("lastReport");
        Assert.Equal("recovery", report.GetProperty("bootMode").GetString());
        Assert.Equal("12", report.GetProperty("attributes").GetProperty("uptime").GetString());
    }

    [Fact]
    public void Write_FullContent_HistoryHasEveryJobWithQuotedAndDefusedText()
    {
        var lines = Write(FullContent()).Text("firmware-history.csv").Split('\n');

        Assert.StartsWith("jobId,createdAt,updatedAt,createdBy,packageId,packageVendor,packageVersion", lines[0]);
        Assert.StartsWith("1,2026-12-04T11:15:00.000Z,", lines[1]);
        Assert.Contains(",Acme,2.0.1,update.swu,1.0.0,2.0.1,succeeded,,,", lines[1]);
        // A reason with a comma, quotes and a line break stays one quoted field.
        Assert.EndsWith(",blocked,,,\"Short by 10 bytes, \"\"space\"\"", lines[2]);
        Assert.Equal("second line\"", lines[3]);
        // Device words that a spreadsheet would run as a formula are defused.
        Assert.EndsWith(",failed,power-loss,,'=The device vanished mid-flash and came back with reset reason power-loss.", lines[4]);
    }

    [Fact]
    public void Write_FullContent_LatestPreFlashLogOnTopOlderOnesByJob()
    {
        var bundle = Write(FullContent());

        var latest = bundle.Text("pre-flash-log.txt");
        Assert.StartsWith("Pre-flash log of device job 3: 1.0.0 -> 2.0.3 (Acme 2.0.3, update.swu)", latest);
        Assert.Contains("identity.ControllerId: gw-0042", latest);
        Assert.Contains("--- Device log ---\nkernel: eth0 up\nswupdate: starting\n", latest);
        Assert.Contains("old log line", bundle.Text("pre-flash/1.txt"));
        Assert.False(bundle.Entries.ContainsKey("pre-flash/3.txt"));
    }

    [Fact]
    public void Write_FullContent_TimelineDiagnosisAndSystemLog()
    {
        var bundle = Write(FullContent());

        var timeline = bundle.Json("timeline.json").EnumerateArray().ToList();
        Assert.Equal([10, 11, 12, 13], timeline.Select(e => e.GetProperty("id").GetInt64()));
        Assert.Equal("Installing", timeline[1].GetProperty("data").GetProperty("details")[0].GetString());
        Assert.Equal("not json", timeline[3].GetProperty("data").GetString());
        Assert.Contains("2026-12-04T13:15:09.000Z  power       job 3       The device came back", bundle.Text("timeline.txt"));
        Assert.Contains("Reported version 1.0.0\n    second line\n", bundle.Text("timeline.txt"));

        var diagnosis = bundle.Json("diagnosis.json");
        var failed = diagnosis.GetProperty("failedJob");
        Assert.Equal(3, failed.GetProperty("id").GetInt64());
        Assert.Equal("power-loss", failed.GetProperty("cause").GetString());
        Assert.StartsWith("=The device vanished", failed.GetProperty("statusReason").GetString());
        Assert.Equal("https://fw.example.com/articles/firmware-flash-failed#if-power-was-lost", failed.GetProperty("articleUrl").GetString());
        Assert.Equal(["feedback", "power"], failed.GetProperty("evidence").EnumerateArray().Select(e => e.GetProperty("kind").GetString()));
        Assert.Equal("failed", diagnosis.GetProperty("latestJob").GetProperty("status").GetString());
        Assert.Contains("https://fw.example.com/articles/firmware-flash-failed#if-power-was-lost", bundle.Text("README.txt"));

        Assert.Contains("through its ddi driver", bundle.Text("system-log.txt"));
        Assert.Contains("--- Device log ---\nDec  5 10:15:00 gw swupdate: idle\n", bundle.Text("system-log.txt"));
    }

    [Fact]
    public void Write_BrickedDeviceWithNoHistory_StillEveryPartSayingWhatIsMissing()
    {
        var device = FleetBuilder.Gateway("gw-bricked");
        var content = new RmaBundleContent(device, null, [], [],
            RmaSystemLog.Unavailable(T0, DriverOutcome.Unreachable, "The camera did not answer at http://192.0.2.7/onvif/device_service."), [], T0, "viewer-1");

        var bundle = Write(content);

        bundle.AssertManifestMatches();
        Assert.Equal(["identity.json", "firmware-history.csv", "pre-flash-log.txt", "system-log.txt", "timeline.json", "timeline.txt", "diagnosis.json"], bundle.ListedPaths);
        Assert.Contains("could not be read (unreachable): The camera did not answer", bundle.Text("system-log.txt"));
        Assert.StartsWith("No pre-flash log was captured", bundle.Text("pre-flash-log.txt"));
        Assert.Equal(JsonValueKind.Null, bundle.Json("diagnosis.json").GetProperty("failedJob").ValueKind);
        Assert.Equal(JsonValueKind.Null, bundle.Json("identity.json").GetProperty("lastReport").ValueKind);
        Assert.Contains("no device job of this device has failed", bundle.Text("README.txt"));
        Assert.Single(bundle.Text("firmware-history.csv").Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Write_SnapshotThatIsNotJson_KeptAsStored()
    {
        var device = FleetBuilder.Gateway("gw-raw");
        var job = Job(5, device, DeviceJobStatus.Failed, cause: FailureCause.Unknown);
        job.PreFlashSnapshot = "raw <snapshot>";
        var content = new RmaBundleContent(device, null, [new RmaJob(job, null, null, null)], [], RmaSystemLog.Read(T0, ""), [], T0, "admin");

        var bundle = Write(content);

        Assert.Contains("The snapshot as stored:\nraw <snapshot>\n", bundle.Text("pre-flash-log.txt"));
        Assert.Equal("/articles/firmware-flash-failed#if-none-of-this-worked", bundle.Json("diagnosis.json").GetProperty("failedJob").GetProperty("articleUrl").GetString());
    }

    [Theory]
    [InlineData("gw-0042", "rma-gw-0042-20261204T101500Z.zip")]
    [InlineData("192.0.2.7/onvif device", "rma-192.0.2.7-onvif-device-20261204T101500Z.zip")]
    [InlineData("\"; rm -rf /", "rma-rm--rf-20261204T101500Z.zip")]
    [InlineData("..", "rma-device-20261204T101500Z.zip")]
    public void FileName_ControllerIdAndTime_SafeEverywhere(string controllerId, string expected)
    {
        var content = new RmaBundleContent(FleetBuilder.Gateway(controllerId), null, [], [], RmaSystemLog.Read(T0, ""), [], T0.ToOffset(TimeSpan.FromHours(2)), "admin");

        Assert.Equal(expected, RmaBundleWriter.FileName(content));
    }

    [Fact]
    public void Write_SameContentTwice_SameBytes()
    {
        var content = FullContent();
        using var first = new MemoryStream();
        using var second = new MemoryStream();

        RmaBundleWriter.Write(content, first);
        RmaBundleWriter.Write(content, second);

        Assert.Equal(first.ToArray(), second.ToArray());
        Assert.Equal(Encoding.UTF8.GetBytes("RMA evidence bundle"), new RmaBundleReader(first.ToArray()).Entries["README.txt"][..19]);
    }
}
