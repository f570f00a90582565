using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using Nova.Firmware.Simulator.Devices;

namespace Nova.Firmware.Simulator.Faces.Onvif;

/// <summary>
/// Answers WS-Discovery Probes (multicast 239.255.255.250:3702 and unicast to the same socket) with
/// one ProbeMatches per camera that is up, each with its own XAddrs and Scopes, as separate cameras would.
/// </summary>
public sealed class WsDiscoveryResponder(Simulation simulation, Uri advertisedBase) : IAsyncDisposable
{
    public static readonly IPAddress MulticastGroup = IPAddress.Parse("239.255.255.250");
    private const string Wsd = "http://schemas.xmlsoap.org/ws/2005/04/discovery";
    private const string Wsa = "http://schemas.xmlsoap.org/ws/2004/08/addressing";
    private const string Dn = "http://www.onvif.org/ver10/network/wsdl";
    private readonly CancellationTokenSource _stop = new();
    private UdpClient? _udp;
    private Task? _loop;

    public int Port { get; private set; }
    public bool JoinedMulticast { get; private set; }

    public void Start(IPAddress bind, int port)
    {
        _udp = new UdpClient(AddressFamily.InterNetwork);
        _udp.Client.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _udp.Client.Bind(new IPEndPoint(bind, port));
        Port = ((IPEndPoint)_udp.Client.LocalEndPoint!).Port;
        try
        {
            _udp.JoinMulticastGroup(MulticastGroup);
            JoinedMulticast = true;
        }
        catch (SocketException)
        {
            // No multicast route (containers, loopback-only hosts): unicast probes still work.
        }
        _loop = ListenAsync(_stop.Token);
    }

    private async Task ListenAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            UdpReceiveResult probe;
            try
            {
                probe = await _udp!.ReceiveAsync(ct);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            if (ParseProbe(probe.Buffer) is not { } messageId)
            {
                continue;
            }
            foreach (var camera in simulation.Devices.Where(d => d.Spec.Kind == DeviceKind.Camera && d.Mode == DeviceMode.Normal && !d.Faults.Unreachable))
            {
                var answer = Encoding.UTF8.GetBytes(ProbeMatches(camera, messageId));
                try
                {
                    await _udp!.SendAsync(answer, probe.RemoteEndPoint, ct);
                }
                catch (SocketException)
                {
                    break;
                }
            }
        }
    }

    /// <summary>The Probe's MessageID when it asks for NetworkVideoTransmitter (or for any type).</summary>
    internal static string? ParseProbe(byte[] datagram)
    {
        try
        {
            var doc = XDocument.Parse(Encoding.UTF8.GetString(datagram));
            var probe = doc.Descendants(XName.Get("Probe", Wsd)).FirstOrDefault();
            if (probe is null)
            {
                return null;
            }
            var types = probe.Element(XName.Get("Types", Wsd))?.Value ?? "";
            if (types.Length > 0 && !types.Contains("NetworkVideoTransmitter", StringComparison.Ordinal) && !types.Contains("Device", StringComparison.Ordinal))
            {
                return null;
            }
            return doc.Descendants(XName.Get("MessageID", Wsa)).FirstOrDefault()?.Value ?? "";
        }
        catch (XmlException)
        {
            return null;
        }
    }

    private string ProbeMatches(SimulatedDevice camera, string relatesTo)
    {
        var xaddr = new Uri(advertisedBase, $"onvif/{Uri.EscapeDataString(camera.Id)}/device_service");
        var scopes = string.Join(' ',
            "onvif://www.onvif.org/type/video_encoder",
            $"onvif://www.onvif.org/hardware/{Uri.EscapeDataString(camera.Spec.Model)}",
            $"onvif://www.onvif.org/name/{Uri.EscapeDataString(camera.Spec.Vendor)}_{Uri.EscapeDataString(camera.Id)}");
        return $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="{Wsa}" xmlns:d="{Wsd}" xmlns:dn="{Dn}">
            <s:Header><a:MessageID>urn:uuid:{Guid.NewGuid()}</a:MessageID><a:RelatesTo>{relatesTo}</a:RelatesTo>
            <a:To>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</a:To>
            <a:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/ProbeMatches</a:Action></s:Header>
            <s:Body><d:ProbeMatches><d:ProbeMatch>
            <a:EndpointReference><a:Address>urn:uuid:{DeviceUuid(camera.Id)}</a:Address></a:EndpointReference>
            <d:Types>dn:NetworkVideoTransmitter</d:Types><d:Scopes>{scopes}</d:Scopes>
            <d:XAddrs>{xaddr}</d:XAddrs><d:MetadataVersion>1</d:MetadataVersion>
            </d:ProbeMatch></d:ProbeMatches></s:Body></s:Envelope>
            """;
    }

    private static Guid DeviceUuid(string id) => new(System.Security.Cryptography.MD5.HashData(Encoding.UTF8.GetBytes(id)));

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _udp?.Dispose();
        if (_loop is not null)
        {
            await _loop;
        }
        _stop.Dispose();
    }
}
