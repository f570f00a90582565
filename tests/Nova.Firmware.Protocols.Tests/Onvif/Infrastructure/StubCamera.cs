using System.Net;
using System.Text;

namespace Nova.Firmware.Protocols.Tests.Onvif.Infrastructure;

/// <summary>An in-process "camera": answers each request with a function and records what it was sent.</summary>
public sealed class StubCamera(Func<StubCamera.Received, CancellationToken, Task<HttpResponseMessage>> answer) : HttpMessageHandler
{
    public StubCamera(Func<Received, HttpResponseMessage> answer)
        : this((received, _) => Task.FromResult(answer(received)))
    {
    }

    public static readonly Uri DeviceService = new("http://camera.test/onvif/device_service");

    private readonly List<Received> _requests = [];

    public IReadOnlyList<Received> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>A 200 SOAP answer with this body content.</summary>
    public static HttpResponseMessage Soap(string body, HttpStatusCode status = HttpStatusCode.OK) => new(status)
    {
        Content = new StringContent(
            $"""<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:tds="http://www.onvif.org/ver10/device/wsdl" xmlns:tt="http://www.onvif.org/ver10/schema" xmlns:ter="http://www.onvif.org/ver10/error"><s:Body>{body}</s:Body></s:Envelope>""",
            Encoding.UTF8, "application/soap+xml"),
    };

    public static HttpResponseMessage Fault(string code, string subcode, string reason, HttpStatusCode status = HttpStatusCode.BadRequest) => Soap(
        $"""<s:Fault><s:Code><s:Value>s:{code}</s:Value><s:Subcode><s:Value>ter:{subcode}</s:Value></s:Subcode></s:Code><s:Reason><s:Text xml:lang="en">{reason}</s:Text></s:Reason></s:Fault>""",
        status);

    public static HttpResponseMessage Challenge(string nonce = "nonce-1", bool stale = false, string algorithm = "MD5")
    {
        var response = new HttpResponseMessage(HttpStatusCode.Unauthorized);
        response.Headers.TryAddWithoutValidation("WWW-Authenticate", $"Digest realm=\"cam\", qop=\"auth\", nonce=\"{nonce}\", algorithm={algorithm}{(stale ? ", stale=true" : "")}");
        return response;
    }

    public const string DeviceInformation =
        "<tds:GetDeviceInformationResponse><tds:Manufacturer>Optica</tds:Manufacturer><tds:Model>CAM-7</tds:Model><tds:FirmwareVersion>1.0.0</tds:FirmwareVersion><tds:SerialNumber>SN1</tds:SerialNumber><tds:HardwareId>1.0/armv7</tds:HardwareId></tds:GetDeviceInformationResponse>";

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
        var received = new Received(request.Method, request.RequestUri!, request.Headers.Authorization?.ToString(), body);
        lock (_requests)
        {
            _requests.Add(received);
        }

        return await answer(received, cancellationToken);
    }

    public sealed record Received(HttpMethod Method, Uri Uri, string? Authorization, string Body)
    {
        public string Operation => Body.Contains("GetSystemDateAndTime", StringComparison.Ordinal) ? "GetSystemDateAndTime" : Body;

        public bool HasUsernameToken => Body.Contains("UsernameToken", StringComparison.Ordinal);

        /// <summary>A field of the Digest Authorization header (quoted or not).</summary>
        public string? DigestField(string name)
        {
            if (Authorization is null)
            {
                return null;
            }

            var match = System.Text.RegularExpressions.Regex.Match(Authorization, $"""(?:^|[ ,]){name}="?([^",]*)"?""");
            return match.Success ? match.Groups[1].Value : null;
        }
    }
}
