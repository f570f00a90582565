using System.Net;
using System.Net.Sockets;
using System.Text;
using Nova.Firmware.Protocols.Onvif;
using Nova.Firmware.Protocols.Tests.Onvif.Infrastructure;

namespace Nova.Firmware.Protocols.Tests.Onvif;

/// <summary>What the client makes of answers: typed results, faults, malformed answers, caps, retries and timeouts.</summary>
public sealed class OnvifClientAnswerTests
{
    private static OnvifClient Client(StubCamera camera, OnvifClientOptions? options = null) =>
        new(camera, StubCamera.DeviceService, new OnvifCredentials("admin", "admin"), options: options ?? new OnvifClientOptions { AuthMode = OnvifAuthMode.Digest, RetryDelay = TimeSpan.Zero });

    private static StubCamera Answering(Func<HttpResponseMessage> answer) => new(r => r.Authorization is null && !r.Body.Contains("GetSystemDateAndTime", StringComparison.Ordinal) ? StubCamera.Challenge() : answer());

    public static TheoryData<string, string> MalformedAnswers => new()
    {
        { "text/html", "<html><body>Login</body></html" },
        { "application/soap+xml", "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\"><s:Body><tds:GetDeviceInformationResponse xmlns:tds=\"http://www.onvif.org/ver10/device/wsdl\"><tds:Model>X</tds:Model></tds:GetDeviceInformationResponse></s:Body></s:Envelope>" },
        { "application/soap+xml", "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\"><s:Body><tds:GetUsersResponse xmlns:tds=\"http://www.onvif.org/ver10/device/wsdl\"/></s:Body></s:Envelope>" },
        { "application/xml", "<Envelope><Body/></Envelope>" },
        { "application/soap+xml", "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;\">]><s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\"><s:Body>&lol2;</s:Body></s:Envelope>" },
        { "application/soap+xml", "" },
    };

    [Theory]
    [MemberData(nameof(MalformedAnswers))]
    public async Task GetDeviceInformation_MalformedAnswer_MalformedResponseWithExcerpt(string mediaType, string body)
    {
        using var camera = Answering(() => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, mediaType) });
        using var client = Client(camera);

        var error = await Assert.ThrowsAsync<OnvifMalformedResponseException>(() => client.GetDeviceInformationAsync());

        Assert.Equal(OnvifErrorKind.MalformedResponse, error.Kind);
        Assert.Equal("GetDeviceInformation", error.Operation);
        Assert.Equal(200, error.HttpStatus);
    }

    [Fact]
    public async Task GetDeviceInformation_HttpErrorWithoutFault_MalformedResponseNamingTheStatus()
    {
        using var camera = Answering(() => new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) { Content = new StringContent("busy") });
        using var client = Client(camera);

        var error = await Assert.ThrowsAsync<OnvifMalformedResponseException>(() => client.GetDeviceInformationAsync());

        Assert.Equal(503, error.HttpStatus);
        Assert.Equal("busy", error.Excerpt);
    }

    [Fact]
    public async Task GetDeviceInformation_AnswerAboveTheCap_MalformedResponseWithoutReadingItAll()
    {
        var huge = StubCamera.DeviceInformation.Replace("SN1", new string('x', 200_000), StringComparison.Ordinal);
        using var camera = Answering(() => StubCamera.Soap(huge));
        using var client = Client(camera, new OnvifClientOptions { AuthMode = OnvifAuthMode.Digest, MaxResponseBytes = 64 * 1024 });

        var error = await Assert.ThrowsAsync<OnvifMalformedResponseException>(() => client.GetDeviceInformationAsync());

        Assert.Contains("larger than", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetDeviceInformation_WellFormedAnswer_AllFieldsAndMissingOptionalsAsNull()
    {
        using var camera = Answering(() => StubCamera.Soap("<tds:GetDeviceInformationResponse><tds:Manufacturer> Optica </tds:Manufacturer><tds:Model>CAM-7</tds:Model><tds:FirmwareVersion>1.0.0</tds:FirmwareVersion></tds:GetDeviceInformationResponse>"));
        using var client = Client(camera);

        var info = await client.GetDeviceInformationAsync();

        Assert.Equal(new OnvifDeviceInformation("Optica", "CAM-7", "1.0.0", null, null), info);
    }

    [Fact]
    public async Task GetServices_ActionNotSupported_NullAndFallsBackToCapabilities()
    {
        using var camera = new StubCamera(r =>
            r.Authorization is null ? StubCamera.Challenge()
            : r.Body.Contains("GetServices", StringComparison.Ordinal) ? StubCamera.Fault("Receiver", "ActionNotSupported", "GetServices is not supported.")
            : StubCamera.Soap("""
                <tds:GetCapabilitiesResponse><tds:Capabilities>
                <tt:Device><tt:XAddr>http://camera.test/onvif/device_service</tt:XAddr><tt:System><tt:FirmwareUpgrade>true</tt:FirmwareUpgrade></tt:System></tt:Device>
                <tt:Media><tt:XAddr>/onvif/media</tt:XAddr></tt:Media>
                <tt:Extension><tt:DeviceIO><tt:XAddr>http://camera.test/onvif/io</tt:XAddr></tt:DeviceIO></tt:Extension>
                </tds:Capabilities></tds:GetCapabilitiesResponse>
                """));
        using var client = Client(camera);

        var services = await client.GetServicesAsync();
        var addresses = await client.GetServiceAddressesAsync();

        Assert.Null(services);
        Assert.Equal(OnvifServiceSource.GetCapabilities, addresses.Source);
        Assert.True(addresses.FirmwareUpgrade);
        Assert.Equal(new Uri("http://camera.test/onvif/media"), addresses.ByNamespace["http://www.onvif.org/ver10/media/wsdl"]);
        Assert.Equal(new Uri("http://camera.test/onvif/io"), addresses.ByNamespace["http://www.onvif.org/ver10/deviceIO/wsdl"]);
    }

    [Fact]
    public async Task GetServices_Supported_ServicesWithVersions()
    {
        using var camera = Answering(() => StubCamera.Soap("""
            <tds:GetServicesResponse>
            <tds:Service><tds:Namespace>http://www.onvif.org/ver10/device/wsdl</tds:Namespace><tds:XAddr>http://camera.test/onvif/device_service</tds:XAddr><tds:Version><tt:Major>2</tt:Major><tt:Minor>60</tt:Minor></tds:Version></tds:Service>
            <tds:Service><tds:Namespace>http://www.onvif.org/ver10/media/wsdl</tds:Namespace><tds:XAddr>http://camera.test/onvif/media http://10.0.0.9/onvif/media</tds:XAddr></tds:Service>
            </tds:GetServicesResponse>
            """));
        using var client = Client(camera);

        var services = await client.GetServicesAsync();

        Assert.NotNull(services);
        Assert.Equal(2, services.Count);
        Assert.Equal("2.60", services[0].Version);
        Assert.Equal(new Uri("http://camera.test/onvif/media"), services[1].XAddr);
    }

    [Fact]
    public async Task SystemReboot_NestedSubcodeFault_FaultExceptionWithCodeSubcodesReasonAndStatus()
    {
        using var camera = Answering(() => StubCamera.Soap(
            """<s:Fault><s:Code><s:Value>s:Sender</s:Value><s:Subcode><s:Value>ter:InvalidArgVal</s:Value><s:Subcode><s:Value>ter:NoSuchThing</s:Value></s:Subcode></s:Subcode></s:Code><s:Reason><s:Text xml:lang="de">Nein</s:Text><s:Text xml:lang="en">No such thing</s:Text></s:Reason></s:Fault>""",
            HttpStatusCode.InternalServerError));
        using var client = Client(camera);

        var error = await Assert.ThrowsAsync<OnvifFaultException>(() => client.SystemRebootAsync());

        Assert.Equal("Sender", error.Code);
        Assert.Equal("ter:InvalidArgVal", error.Subcode);
        Assert.Equal(["ter:InvalidArgVal", "ter:NoSuchThing"], error.Fault.Subcodes);
        Assert.Equal("No such thing", error.Reason);
        Assert.Equal(500, error.HttpStatus);
    }

    [Fact]
    public async Task GetDeviceInformation_Soap11Fault_FaultException()
    {
        using var camera = Answering(() => new HttpResponseMessage(HttpStatusCode.InternalServerError)
        {
            Content = new StringContent("""<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/"><SOAP-ENV:Body><SOAP-ENV:Fault><faultcode>SOAP-ENV:Server</faultcode><faultstring>internal error</faultstring></SOAP-ENV:Fault></SOAP-ENV:Body></SOAP-ENV:Envelope>""", Encoding.UTF8, "text/xml"),
        });
        using var client = Client(camera);

        var error = await Assert.ThrowsAsync<OnvifFaultException>(() => client.GetDeviceInformationAsync());

        Assert.Equal("Server", error.Code);
        Assert.Equal("internal error", error.Reason);
    }

    [Fact]
    public async Task StartFirmwareUpgrade_DurationsAndRelativeUri_TicketResolvedAgainstTheDeviceService()
    {
        using var camera = Answering(() => StubCamera.Soap("<tds:StartFirmwareUpgradeResponse><tds:UploadUri>/upload/1</tds:UploadUri><tds:UploadDelay>PT5S</tds:UploadDelay><tds:ExpectedDownTime>PT2M30S</tds:ExpectedDownTime></tds:StartFirmwareUpgradeResponse>"));
        using var client = Client(camera);

        var ticket = await client.StartFirmwareUpgradeAsync();

        Assert.Equal(new FirmwareUpgradeTicket(new Uri("http://camera.test/upload/1"), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(150)), ticket);
    }

    [Theory]
    [InlineData("<tds:UploadUri>http://camera.test/u</tds:UploadUri><tds:UploadDelay>5 seconds</tds:UploadDelay><tds:ExpectedDownTime>PT1M</tds:ExpectedDownTime>")]
    [InlineData("<tds:UploadUri>ftp://camera.test/u</tds:UploadUri><tds:UploadDelay>PT1S</tds:UploadDelay><tds:ExpectedDownTime>PT1M</tds:ExpectedDownTime>")]
    [InlineData("<tds:UploadDelay>PT1S</tds:UploadDelay><tds:ExpectedDownTime>PT1M</tds:ExpectedDownTime>")]
    public async Task StartFirmwareUpgrade_BadTicket_MalformedResponse(string fields)
    {
        using var camera = Answering(() => StubCamera.Soap($"<tds:StartFirmwareUpgradeResponse>{fields}</tds:StartFirmwareUpgradeResponse>"));
        using var client = Client(camera);

        await Assert.ThrowsAsync<OnvifMalformedResponseException>(() => client.StartFirmwareUpgradeAsync());
    }

    [Fact]
    public async Task GetSystemLog_BinaryAttachment_NotSupported()
    {
        using var camera = Answering(() => StubCamera.Soap("<tds:GetSystemLogResponse><tds:SystemLog><tt:Binary><xop:Include xmlns:xop=\"http://www.w3.org/2004/08/xop/include\" href=\"cid:log\"/></tt:Binary></tds:SystemLog></tds:GetSystemLogResponse>"));
        using var client = Client(camera);

        var error = await Assert.ThrowsAsync<OnvifNotSupportedException>(() => client.GetSystemLogAsync(OnvifSystemLogType.System));

        Assert.Equal(OnvifErrorKind.NotSupported, error.Kind);
    }

    [Fact]
    public async Task UpgradeSystemFirmware_Always_NotSupportedWithoutContactingTheCamera()
    {
        using var camera = Answering(() => throw new InvalidOperationException("must not be called"));
        using var client = Client(camera);

        var error = await Assert.ThrowsAsync<OnvifNotSupportedException>(() => client.UpgradeSystemFirmwareAsync());

        Assert.Contains("StartFirmwareUpgrade", error.Why, StringComparison.Ordinal);
        Assert.Empty(camera.Requests);
    }

    [Fact]
    public async Task GetDeviceInformation_RefusedTwiceThenAnswered_ReadIsRetried()
    {
        var calls = 0;
        using var camera = new StubCamera(r => Interlocked.Increment(ref calls) <= 2 ? throw Refused() : r.Authorization is null ? StubCamera.Challenge() : StubCamera.Soap(StubCamera.DeviceInformation));
        using var client = Client(camera);

        var info = await client.GetDeviceInformationAsync();

        Assert.Equal("CAM-7", info.Model);
    }

    [Fact]
    public async Task GetDeviceInformation_RefusedEveryTime_UnreachableAfterTheRetryBudget()
    {
        using var camera = new StubCamera(_ => throw Refused());
        using var client = Client(camera);

        var error = await Assert.ThrowsAsync<OnvifUnreachableException>(() => client.GetDeviceInformationAsync());

        Assert.Equal(OnvifUnreachableReason.ConnectionRefused, error.Reason);
        Assert.Equal(3, camera.Requests.Count);
    }

    [Fact]
    public async Task StartFirmwareUpgradeAndSystemReboot_Refused_NeverRetried()
    {
        using var camera = new StubCamera(_ => throw Refused());
        using var client = Client(camera);

        await Assert.ThrowsAsync<OnvifUnreachableException>(() => client.StartFirmwareUpgradeAsync());
        await Assert.ThrowsAsync<OnvifUnreachableException>(() => client.SystemRebootAsync());

        Assert.Equal(2, camera.Requests.Count);
    }

    [Fact]
    public async Task GetDeviceInformation_CameraNeverAnswers_UnreachableTimeout()
    {
        using var camera = new StubCamera(async (_, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            return new HttpResponseMessage();
        });
        using var client = Client(camera, new OnvifClientOptions { RequestTimeout = TimeSpan.FromMilliseconds(200), ReadRetries = 0 });

        var error = await Assert.ThrowsAsync<OnvifUnreachableException>(() => client.GetDeviceInformationAsync());

        Assert.Equal(OnvifUnreachableReason.Timeout, error.Reason);
    }

    [Fact]
    public async Task GetDeviceInformation_CallerCancels_OperationCanceledNotUnreachable()
    {
        using var camera = Answering(() => StubCamera.Soap(StubCamera.DeviceInformation));
        using var client = Client(camera);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetDeviceInformationAsync(cancelled.Token));
    }

    private static HttpRequestException Refused() =>
        new(HttpRequestError.ConnectionError, "Connection refused", new SocketException((int)SocketError.ConnectionRefused));
}
