using System.Net;
using System.Text;
using System.Xml.Linq;
using Nova.Firmware.Protocols.Ddi;
using Nova.Firmware.Simulator.Devices;
using Nova.Firmware.Simulator.Faces.Onvif;
using Nova.Firmware.Simulator.Faults;
using Nova.Firmware.Simulator.Tests.Control;
using Nova.Firmware.Simulator.Tests.Infrastructure;

namespace Nova.Firmware.Simulator.Tests.Faces;

public sealed class FaultThroughFacesTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private static StringContent Soap(string body) => new(
        $"""<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:tds="{OnvifSoap.Tds}"><s:Body>{body}</s:Body></s:Envelope>""",
        Encoding.UTF8, "application/soap+xml");

    [Fact]
    public async Task OnvifUpload_NoVerifyFaultAndCorruptImage_AcceptedWrittenThenFallsBackToOldSlot()
    {
        await using var sim = await TestFleet.StartAsync(TestFleet.Of(TestFleet.Camera("cam-1")));
        await using var app = await SimulatorApp.StartAsync(sim);
        using var digest = new HttpClient(new SocketsHttpHandler { Credentials = new NetworkCredential("admin", "admin") }) { BaseAddress = ControlApiTests.BaseUrl(app) };
        sim.InjectFault("cam-1", new FaultRequest(FaultKind.NoVerify));
        var image = SimulatedImage.Build("3.1.0", "armv7", ["1.0"], vendor: "Optica", model: "CAM-7");
        image[^10] ^= 0xFF;

        var start = XDocument.Parse(await (await digest.PostAsync("onvif/cam-1/device_service", Soap("<tds:StartFirmwareUpgrade/>"))).Content.ReadAsStringAsync());
        var upload = await digest.PostAsync(start.Descendants(XName.Get("UploadUri", OnvifSoap.Tds)).Single().Value, new ByteArrayContent(image));

        Assert.Equal(HttpStatusCode.OK, upload.StatusCode);
        var truth = await sim.WaitForAsync("cam-1", t => t.Mode == DeviceMode.Normal && t.FellBack, Timeout);
        Assert.Equal("1.0.0", truth.RunningVersion);
        Assert.False(truth.Slots[1].Valid);
        Assert.Equal(1, truth.FlashCount);
    }

    [Fact]
    public async Task OnvifAndDdi_UnreachableFault_NoAnswerAndNoPollsUntilCleared()
    {
        await using var server = await FakeHawkbitServer.StartAsync();
        var fleet = TestFleet.Of(TestFleet.Camera("cam-1"), TestFleet.Gateway("gw-1"));
        fleet.Ddi.ServerUrl = server.BaseUrl;
        fleet.Ddi.UnreachableSleepSeconds = 10;
        await using var sim = await TestFleet.StartAsync(fleet);
        await using var app = await SimulatorApp.StartAsync(sim);
        using var http = new HttpClient { BaseAddress = ControlApiTests.BaseUrl(app) };
        sim.InjectFault("cam-1", new FaultRequest(FaultKind.Unreachable));
        sim.InjectFault("gw-1", new FaultRequest(FaultKind.Unreachable));
        // A poll already in flight when the fault struck may still land: wait until none has for 1 s.
        var pollsBefore = await SettledCountAsync(() => server.Authorizations.Count);

        await Assert.ThrowsAsync<HttpRequestException>(() => http.PostAsync("onvif/cam-1/device_service", Soap("<tds:GetSystemDateAndTime/>")));
        await Task.Delay(500);
        Assert.Equal(pollsBefore, server.Authorizations.Count);

        sim.ClearFaults("cam-1");
        sim.ClearFaults("gw-1");
        var answer = await http.PostAsync("onvif/cam-1/device_service", Soap("<tds:GetSystemDateAndTime/>"));
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        using var cts = new CancellationTokenSource(Timeout);
        while (server.Authorizations.Count == pollsBefore)
        {
            await Task.Delay(20, cts.Token);
        }
    }

    [Fact]
    public async Task Ddi_AcceptWrongHardwareFaultAndBundleForOtherRevision_WritesItFailsToBootReportsFallback()
    {
        await using var server = await FakeHawkbitServer.StartAsync();
        var fleet = TestFleet.Of(TestFleet.Gateway("gw-1"));
        fleet.Ddi.ServerUrl = server.BaseUrl;
        await using var sim = await TestFleet.StartAsync(fleet);
        sim.InjectFault("gw-1", new FaultRequest(FaultKind.AcceptWrongHardware));
        server.Offer("gw-1", "21", "update.swu", SwuBuilder.Build("2.0.0", ["2.0"], TestFleet.GatewayImage("2.0.0", hwRevision: "2.0")));

        var final = await server.WaitForFinalAsync("gw-1", Timeout);

        Assert.Equal(DdiValues.Finished.Failure, final.Status.Result.Finished);
        Assert.Contains("boot failure, fell back to slot A", string.Join(" ", final.Status.Details ?? []), StringComparison.Ordinal);
        var truth = sim.Truth("gw-1");
        Assert.Equal("2.0.0", truth.Slots[1].Version);
        Assert.True(truth.Slots[1].Valid);
        Assert.Equal("1.0.0", truth.RunningVersion);
    }

    /// <summary>The count once it has not changed for a second (at most 10 s of waiting).</summary>
    private static async Task<int> SettledCountAsync(Func<int> count)
    {
        var last = count();
        var stableSince = DateTime.UtcNow;
        var giveUp = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow - stableSince < TimeSpan.FromSeconds(1) && DateTime.UtcNow < giveUp)
        {
            await Task.Delay(100);
            var now = count();
            if (now != last)
            {
                (last, stableSince) = (now, DateTime.UtcNow);
            }
        }
        return last;
    }
}
