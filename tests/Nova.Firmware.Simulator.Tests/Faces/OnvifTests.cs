using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Xml.Linq;
using Nova.Firmware.Simulator.Devices;
using Nova.Firmware.Simulator.Faces.Onvif;
using Nova.Firmware.Simulator.Tests.Control;
using Nova.Firmware.Simulator.Tests.Infrastructure;

namespace Nova.Firmware.Simulator.Tests.Faces;

public sealed class OnvifTests
{
    private static readonly XNamespace Tds = OnvifSoap.Tds;

    private static StringContent Soap(string body, string header = "") => new(
        $"""<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:tds="{OnvifSoap.Tds}"><s:Header>{header}</s:Header><s:Body>{body}</s:Body></s:Envelope>""",
        Encoding.UTF8, "application/soap+xml");

    private static HttpClient DigestClient(Uri baseUrl, string user = "admin", string password = "admin") =>
        new(new SocketsHttpHandler { Credentials = new NetworkCredential(user, password), PreAuthenticate = false }) { BaseAddress = baseUrl };

    [Fact]
    public void UsernameTokenDigest_OnvifTestVector_MatchesPublishedValue()
    {
        var digest = UsernameToken.Digest(Convert.FromBase64String("LKqI6G/AikKCQrN0zqZFlg=="), "2010-09-16T07:50:45Z", "userpassword");
        Assert.Equal("tuOSpGlFlIXsozq4HFNeeGeFLEI=", digest);
    }

    [Fact]
    public async Task GetDeviceInformation_WithoutAuthThenWithDigestThenWithUsernameToken_401Then200Then200()
    {
        await using var sim = await TestFleet.StartAsync(TestFleet.Of(TestFleet.Camera("cam-1")));
        await using var app = await SimulatorApp.StartAsync(sim);
        var baseUrl = ControlApiTests.BaseUrl(app);
        using var anonymous = new HttpClient { BaseAddress = baseUrl };
        using var digest = DigestClient(baseUrl);

        var time = await anonymous.PostAsync("onvif/cam-1/device_service", Soap("<tds:GetSystemDateAndTime/>"));
        var refused = await anonymous.PostAsync("onvif/cam-1/device_service", Soap("<tds:GetDeviceInformation/>"));
        var info = await digest.PostAsync("onvif/cam-1/device_service", Soap("<tds:GetDeviceInformation/>"));
        var nonce = new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 };
        const string Created = "2026-11-23T20:00:00Z";
        var token = $"""
            <wsse:Security xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd" xmlns:wsu="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd">
            <wsse:UsernameToken><wsse:Username>admin</wsse:Username><wsse:Password Type="PasswordDigest">{UsernameToken.Digest(nonce, Created, "admin")}</wsse:Password>
            <wsse:Nonce>{Convert.ToBase64String(nonce)}</wsse:Nonce><wsu:Created>{Created}</wsu:Created></wsse:UsernameToken></wsse:Security>
            """;
        var viaToken = await anonymous.PostAsync("onvif/cam-1/device_service", Soap("<tds:GetDeviceInformation/>", token));

        Assert.Equal(HttpStatusCode.OK, time.StatusCode);
        Assert.Contains("UTCDateTime", await time.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.StartsWith("Digest ", refused.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, info.StatusCode);
        var body = XDocument.Parse(await info.Content.ReadAsStringAsync());
        Assert.Equal("1.0.0", body.Descendants(Tds + "FirmwareVersion").Single().Value);
        Assert.Equal("CAM-7", body.Descendants(Tds + "Model").Single().Value);
        Assert.Equal(HttpStatusCode.OK, viaToken.StatusCode);
    }

    [Fact]
    public async Task StartFirmwareUpgrade_GoodImageUploaded_DeviceWritesInactiveSlotAndBootsIt()
    {
        await using var sim = await TestFleet.StartAsync(TestFleet.Of(TestFleet.Camera("cam-1")));
        await using var app = await SimulatorApp.StartAsync(sim);
        using var digest = DigestClient(ControlApiTests.BaseUrl(app));

        var start = XDocument.Parse(await (await digest.PostAsync("onvif/cam-1/device_service", Soap("<tds:StartFirmwareUpgrade/>"))).Content.ReadAsStringAsync());
        var uploadUri = start.Descendants(Tds + "UploadUri").Single().Value;
        var image = SimulatedImage.Build("3.1.0", "armv7", ["1.0"], vendor: "Optica", model: "CAM-7");
        var upload = await digest.PostAsync(uploadUri, new ByteArrayContent(image) { Headers = { ContentType = new("application/octet-stream") } });

        Assert.Equal(HttpStatusCode.OK, upload.StatusCode);
        var truth = await sim.WaitForAsync("cam-1", t => t.Mode == DeviceMode.Normal && t.RunningVersion == "3.1.0", TimeSpan.FromSeconds(15));
        Assert.Equal("B", truth.BootSlot);
        Assert.Equal(ResetReason.Update, truth.ResetReason);
        Assert.Equal(1, truth.FlashCount);
        Assert.NotEmpty(start.Descendants(Tds + "ExpectedDownTime").Single().Value);
    }

    [Fact]
    public async Task Upload_ImageForOtherSoc_415AndNothingWritten()
    {
        await using var sim = await TestFleet.StartAsync(TestFleet.Of(TestFleet.Camera("cam-1")));
        await using var app = await SimulatorApp.StartAsync(sim);
        using var digest = DigestClient(ControlApiTests.BaseUrl(app));

        var start = XDocument.Parse(await (await digest.PostAsync("onvif/cam-1/device_service", Soap("<tds:StartFirmwareUpgrade/>"))).Content.ReadAsStringAsync());
        var upload = await digest.PostAsync(start.Descendants(Tds + "UploadUri").Single().Value, new ByteArrayContent(TestFleet.GatewayImage("3.1.0", soc: "aarch64")));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, upload.StatusCode);
        Assert.Equal(0, sim.Truth("cam-1").FlashCount);
        Assert.Equal(0, sim.Truth("cam-1").Storage.StagedBytes);
    }

    [Fact]
    public async Task GetSystemLogAndVendorStorageCleanup_ThroughTheDevicesOwnApis_ReturnLogAndFreeSpace()
    {
        var camera = TestFleet.Camera("cam-1", s => s.StorageItems = [new StorageItemSpec { Name = "snap-1", Kind = StorageItemKind.Snapshot, SizeBytes = 1_000_000 }]);
        await using var sim = await TestFleet.StartAsync(TestFleet.Of(camera));
        await using var app = await SimulatorApp.StartAsync(sim);
        using var digest = DigestClient(ControlApiTests.BaseUrl(app));
        var freeBefore = sim.Truth("cam-1").Storage.FreeBytes;

        var log = await (await digest.PostAsync("onvif/cam-1/device_service", Soap("<tds:GetSystemLog><tds:LogType>System</tds:LogType></tds:GetSystemLog>"))).Content.ReadAsStringAsync();
        var cleanup = await digest.DeleteAsync("devices/cam-1/api/v1/storage?kind=snapshot");

        Assert.Contains("booted slot A", log, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, cleanup.StatusCode);
        Assert.Equal(freeBefore + 1_000_000, sim.Truth("cam-1").Storage.FreeBytes);
    }

    [Fact]
    public async Task Probe_UnicastWsDiscovery_EachCameraAnswersWithItsXAddrs()
    {
        await using var sim = await TestFleet.StartAsync(TestFleet.Of(TestFleet.Camera("cam-1"), TestFleet.Camera("cam-2"), TestFleet.Gateway("gw-1")));
        await using var responder = new WsDiscoveryResponder(sim, new Uri("http://127.0.0.1:8080/"));
        responder.Start(IPAddress.Loopback, 0);
        using var client = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var probe = """
            <s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery" xmlns:dn="http://www.onvif.org/ver10/network/wsdl">
            <s:Header><a:MessageID>urn:uuid:11111111-2222-3333-4444-555555555555</a:MessageID><a:To>urn:schemas-xmlsoap-org:ws:2005:04:discovery</a:To>
            <a:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe</a:Action></s:Header>
            <s:Body><d:Probe><d:Types>dn:NetworkVideoTransmitter</d:Types></d:Probe></s:Body></s:Envelope>
            """;
        await client.SendAsync(Encoding.UTF8.GetBytes(probe), new IPEndPoint(IPAddress.Loopback, responder.Port));

        var addresses = new List<string>();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        while (addresses.Count < 2)
        {
            var answer = XDocument.Parse(Encoding.UTF8.GetString((await client.ReceiveAsync(cts.Token)).Buffer));
            Assert.Contains("urn:uuid:11111111-2222-3333-4444-555555555555", answer.ToString(), StringComparison.Ordinal);
            addresses.Add(answer.Descendants(XName.Get("XAddrs", "http://schemas.xmlsoap.org/ws/2005/04/discovery")).Single().Value);
        }
        Assert.Equal(["http://127.0.0.1:8080/onvif/cam-1/device_service", "http://127.0.0.1:8080/onvif/cam-2/device_service"], addresses.Order());
    }
}
