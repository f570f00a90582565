using System.Net;
using System.Text;
using Nova.Firmware.Protocols.Onvif;
using Nova.Firmware.Protocols.Onvif.Discovery;
using Nova.Firmware.Protocols.Tests.Onvif.Infrastructure;
using Nova.Firmware.Simulator.Faces.Onvif;
using Nova.Firmware.Simulator.Faults;

namespace Nova.Firmware.Protocols.Tests.Onvif;

/// <summary>WS-Discovery over loopback unicast against the simulator's responder, and the ProbeMatches parser.</summary>
public sealed class WsDiscoveryProbeTests
{
    private static WsDiscoveryProbeOptions Unicast(int port, double seconds = 3) => new()
    {
        Multicast = false,
        UnicastTargets = [new IPEndPoint(IPAddress.Loopback, port)],
        LocalAddress = IPAddress.Loopback,
        Timeout = TimeSpan.FromSeconds(seconds),
    };

    [Fact]
    public async Task Probe_SimulatedFleet_EachCameraThatIsUpOnceWithScopesAndUsableXAddrs()
    {
        await using var cameras = await SimulatedCameras.StartAsync(
            SimulatedCameras.Camera("cam-1"), SimulatedCameras.Camera("cam-2"), SimulatedCameras.Camera("cam-3"),
            SimulatedCameras.Camera("gw-1", s => s.Kind = Nova.Firmware.Simulator.Devices.DeviceKind.Gateway));
        cameras.Simulation.InjectFault("cam-3", new FaultRequest(FaultKind.Unreachable));
        await using var responder = new WsDiscoveryResponder(cameras.Simulation, cameras.BaseUrl);
        responder.Start(IPAddress.Loopback, 0);

        var found = await new WsDiscoveryProbe().ProbeAsync(Unicast(responder.Port));

        Assert.Equal([cameras.DeviceService("cam-1"), cameras.DeviceService("cam-2")], found.Select(d => d.XAddrs.Single()).OrderBy(u => u.AbsoluteUri));
        Assert.Equal(2, found.Select(d => d.EndpointReference).Distinct().Count());
        Assert.All(found, d => Assert.True(d.IsNetworkVideoTransmitter));
        Assert.All(found, d => Assert.Equal("CAM-7", d.ParsedScopes.HardwareModel));
        Assert.Contains("Optica_cam-1", found.Select(d => d.ParsedScopes.Name));
        using var client = OnvifClient.Create(found.Single(d => d.ParsedScopes.Name == "Optica_cam-2").XAddrs[0], new OnvifCredentials("admin", "admin"));
        Assert.Equal("SN-cam-2", (await client.GetDeviceInformationAsync()).SerialNumber);
    }

    [Fact]
    public void Parse_ProbeMatchWithLocationsAndEscapes_ScopesByCategory()
    {
        const string Answer = """
            <s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery" xmlns:dn="http://www.onvif.org/ver10/network/wsdl" xmlns:tds="http://www.onvif.org/ver10/device/wsdl">
            <s:Header><a:RelatesTo>urn:uuid:probe-1</a:RelatesTo></s:Header>
            <s:Body><d:ProbeMatches><d:ProbeMatch>
            <a:EndpointReference><a:Address>urn:uuid:cam-a</a:Address></a:EndpointReference>
            <d:Types>dn:NetworkVideoTransmitter tds:Device</d:Types>
            <d:Scopes> onvif://www.onvif.org/name/Lobby%20Cam onvif://www.onvif.org/hardware/P3245 onvif://www.onvif.org/location/country/Sweden onvif://www.onvif.org/location/city/Lund
            onvif://www.onvif.org/Profile/Streaming onvif://www.onvif.org/type/video_encoder http://vendor.example/scope/x</d:Scopes>
            <d:XAddrs>http://192.168.0.90/onvif/device_service http://[fe80::1]/onvif/device_service not-a-url</d:XAddrs>
            <d:MetadataVersion>7</d:MetadataVersion>
            </d:ProbeMatch></d:ProbeMatches></s:Body></s:Envelope>
            """;

        var devices = ProbeMatchParser.Parse(Encoding.UTF8.GetBytes(Answer), "urn:uuid:probe-1", new IPEndPoint(IPAddress.Loopback, 3702), out var ignored);

        Assert.Null(ignored);
        var device = Assert.Single(devices);
        Assert.Equal("urn:uuid:cam-a", device.EndpointReference);
        Assert.Equal(2, device.XAddrs.Count);
        Assert.Equal((uint)7, device.MetadataVersion);
        Assert.True(device.IsNetworkVideoTransmitter);
        Assert.Contains(System.Xml.Linq.XName.Get("Device", OnvifNamespaces.Device), device.Types);
        Assert.Equal("Lobby Cam", device.ParsedScopes.Name);
        Assert.Equal("P3245", device.ParsedScopes.HardwareModel);
        Assert.Equal(["country/Sweden", "city/Lund"], device.ParsedScopes.Locations);
        Assert.Equal(["Streaming"], device.ParsedScopes.Profiles);
        Assert.Equal(["video_encoder"], device.ParsedScopes.Types);
        Assert.Equal(["http://vendor.example/scope/x"], device.ParsedScopes.Other);
    }

    [Theory]
    [InlineData("not xml at all")]
    [InlineData("<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\" xmlns:a=\"http://schemas.xmlsoap.org/ws/2004/08/addressing\"><s:Header><a:RelatesTo>urn:uuid:someone-else</a:RelatesTo></s:Header><s:Body/></s:Envelope>")]
    [InlineData("<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\"><s:Body><Hello/></s:Body></s:Envelope>")]
    public void Parse_NotAnAnswerToOurProbe_IgnoredWithAReason(string datagram)
    {
        var devices = ProbeMatchParser.Parse(Encoding.UTF8.GetBytes(datagram), "urn:uuid:probe-1", new IPEndPoint(IPAddress.Loopback, 3702), out var ignored);

        Assert.Empty(devices);
        Assert.NotNull(ignored);
    }

    [Fact]
    public async Task Probe_NobodyAnswers_EmptyAfterTheTimeout()
    {
        var found = await new WsDiscoveryProbe().ProbeAsync(Unicast(FreePortUdp(), seconds: 0.3));

        Assert.Empty(found);
    }

    [Fact]
    public async Task Probe_NoTargets_ArgumentException()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => new WsDiscoveryProbe().ProbeAsync(new WsDiscoveryProbeOptions { Multicast = false }));
    }

    private static int FreePortUdp() => Nova.Firmware.Protocols.Tests.Infrastructure.FreePort.Udp();
}
