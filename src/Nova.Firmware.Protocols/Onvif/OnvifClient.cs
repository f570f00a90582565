using System.Runtime.CompilerServices;
using System.Xml.Linq;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Nova.Firmware.Protocols.Onvif.Auth;
using Nova.Firmware.Protocols.Onvif.Soap;
using Nova.Firmware.Protocols.Onvif.Transport;
using Nova.Firmware.Protocols.Onvif.Vendor;

namespace Nova.Firmware.Protocols.Onvif;

/// <summary>
/// ONVIF Device Management for one camera (its device service URL): SOAP 1.2 over HTTP with
/// Digest or WS-UsernameToken authentication, typed answers and typed errors. Protocol only: it
/// decides nothing about when to flash. Operations are in the partial files beside this one.
/// </summary>
public sealed partial class OnvifClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly CameraHttp _camera;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private volatile bool _useUsernameToken;
    // Boxed so a read on one thread never sees half of a write on another.
    private volatile StrongBox<TimeSpan>? _clockSkew;

    /// <summary>
    /// A client over an HttpClient the caller owns (e.g. from IHttpClientFactory). Its handler
    /// must not carry credentials of its own and should allow the upload's duration
    /// (<c>HttpClient.Timeout</c>); per-call limits come from <paramref name="options"/>.
    /// </summary>
    public OnvifClient(HttpClient http, Uri deviceServiceUri, OnvifCredentials credentials, TimeProvider? time = null, OnvifClientOptions? options = null, ILogger<OnvifClient>? logger = null)
        : this(http, ownsHttp: false, deviceServiceUri, credentials, time, options, logger)
    {
    }

    /// <summary>A client over a handler the caller owns (it is not disposed with the client).</summary>
    public OnvifClient(HttpMessageHandler handler, Uri deviceServiceUri, OnvifCredentials credentials, TimeProvider? time = null, OnvifClientOptions? options = null, ILogger<OnvifClient>? logger = null)
        : this(new HttpClient(handler, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan }, ownsHttp: true, deviceServiceUri, credentials, time, options, logger)
    {
    }

    private OnvifClient(HttpClient http, bool ownsHttp, Uri deviceServiceUri, OnvifCredentials credentials, TimeProvider? time, OnvifClientOptions? options, ILogger? logger)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(deviceServiceUri);
        ArgumentNullException.ThrowIfNull(credentials);
        if (!deviceServiceUri.IsAbsoluteUri || (deviceServiceUri.Scheme != Uri.UriSchemeHttp && deviceServiceUri.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException("The device service URL must be an absolute http or https URL.", nameof(deviceServiceUri));
        }

        Options = options ?? new OnvifClientOptions();
        Options.Validate();
        _http = http;
        _ownsHttp = ownsHttp;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        DeviceServiceUri = deviceServiceUri;
        Credentials = credentials;
        _camera = new CameraHttp(http, credentials, new DigestSessionCache(), _time, _logger);
    }

    /// <summary>
    /// A client with its own SocketsHttpHandler: no handler credentials, no redirects (a SOAP call
    /// or an upload is never replayed elsewhere), <c>Expect: 100-continue</c> waited for as long as
    /// <see cref="OnvifClientOptions.ExpectContinueTimeout"/>. Disposed with the client.
    /// </summary>
    public static OnvifClient Create(Uri deviceServiceUri, OnvifCredentials credentials, TimeProvider? time = null, OnvifClientOptions? options = null, ILogger<OnvifClient>? logger = null)
    {
        options ??= new OnvifClientOptions();
        options.Validate();
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            ConnectTimeout = options.RequestTimeout,
            Expect100ContinueTimeout = options.ExpectContinueTimeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        };
        var http = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        return new OnvifClient(http, ownsHttp: true, deviceServiceUri, credentials, time, options, logger);
    }

    public Uri DeviceServiceUri { get; }

    public OnvifCredentials Credentials { get; }

    public OnvifClientOptions Options { get; }

    /// <summary>Camera UTC minus our UTC, once GetSystemDateAndTime has been answered; used for UsernameToken times.</summary>
    public TimeSpan? ClockSkew => _clockSkew?.Value;

    /// <summary>
    /// A vendor extension client for the same camera that shares this client's connection and
    /// Digest state, at the base URL derived from the device service URL; null when none can be
    /// derived (see <see cref="VendorExtensionClient.DeriveBaseUri"/>).
    /// </summary>
    public VendorExtensionClient? CreateVendorExtensionClient() =>
        VendorExtensionClient.DeriveBaseUri(DeviceServiceUri) is { } baseUri ? new VendorExtensionClient(_camera, baseUri, Options) : null;

    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    /// <summary>
    /// One SOAP call with the configured authentication, and the read retry policy when
    /// <paramref name="idempotent"/>: only unreachable cameras are retried, never faults or refusals.
    /// Returns the <c>{operation}Response</c> element.
    /// </summary>
    private async Task<XElement> InvokeAsync(string operation, XElement request, bool idempotent, bool authenticate, int maxReplyBytes, CancellationToken cancellationToken)
    {
        var delay = Options.RetryDelay;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await InvokeOnceAsync(operation, request, authenticate, maxReplyBytes, cancellationToken).ConfigureAwait(false);
            }
            catch (OnvifUnreachableException) when (idempotent && attempt <= Options.ReadRetries)
            {
                OnvifLog.RetryingRead(_logger, operation, DeviceServiceUri, delay.TotalMilliseconds, attempt + 1);
                await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
                delay *= 2;
            }
        }
    }

    private async Task<XElement> InvokeOnceAsync(string operation, XElement request, bool authenticate, int maxReplyBytes, CancellationToken cancellationToken)
    {
        var mode = Options.AuthMode;
        var useToken = authenticate && (mode == OnvifAuthMode.UsernameToken || (mode == OnvifAuthMode.Auto && _useUsernameToken));
        var reply = await PostSoapAsync(operation, request, useToken, answerDigest: authenticate && !useToken && mode != OnvifAuthMode.UsernameToken, maxReplyBytes, cancellationToken).ConfigureAwait(false);
        if (authenticate && mode == OnvifAuthMode.Auto && !useToken && !reply.DigestOffered && IsRefusal(reply))
        {
            // Refused without an HTTP Digest challenge: this camera wants WS-UsernameToken.
            OnvifLog.FallingBackToUsernameToken(_logger, DeviceServiceUri);
            _useUsernameToken = useToken = true;
            reply = await PostSoapAsync(operation, request, useToken: true, answerDigest: false, maxReplyBytes, cancellationToken).ConfigureAwait(false);
        }

        var attempted = useToken ? OnvifAuthMode.UsernameToken : reply.SentDigest ? OnvifAuthMode.Digest : mode;
        return Interpret(operation, reply, attempted);
    }

    private async Task<CameraReply> PostSoapAsync(string operation, XElement request, bool useToken, bool answerDigest, int maxReplyBytes, CancellationToken cancellationToken)
    {
        if (useToken)
        {
            await EnsureClockSkewAsync(cancellationToken).ConfigureAwait(false);
        }

        var security = useToken ? UsernameToken.Header(Credentials, _time.GetUtcNow() + (ClockSkew ?? TimeSpan.Zero)) : null;
        var envelope = SoapMessage.Build(request, security);
        var call = new CameraRequest(operation, HttpMethod.Post, DeviceServiceUri, () => new ByteArrayContent(envelope) { Headers = { ContentType = SoapMessage.ContentType } }, Options.RequestTimeout, maxReplyBytes)
        {
            AnswerDigest = answerDigest,
        };
        return await _camera.SendAsync(call, cancellationToken).ConfigureAwait(false);
    }

    private static bool IsRefusal(CameraReply reply) =>
        reply.Status == 401 || (SoapMessage.TryLoad(reply.Body, out _) is { } doc && SoapMessage.Fault(SoapMessage.Body(doc))?.IsNotAuthorized == true);

    /// <summary>Turns an answer into the response element or the typed error it stands for.</summary>
    private XElement Interpret(string operation, CameraReply reply, OnvifAuthMode attempted)
    {
        var document = SoapMessage.TryLoad(reply.Body, out var xmlProblem);
        var body = document is null ? null : SoapMessage.Body(document);
        var fault = SoapMessage.Fault(body);
        if (reply.Status == 401 || fault?.IsNotAuthorized == true)
        {
            var why = fault is not null ? fault.Reason
                : reply.DigestOffered || reply.SentDigest ? "HTTP Digest credentials refused"
                : "refused with HTTP 401 and no challenge this client can answer";
            throw new OnvifAuthenticationException(operation, DeviceServiceUri, reply.Status, attempted, $"{operation}: authentication failed ({attempted}): {why}", fault);
        }

        if (fault is not null)
        {
            throw new OnvifFaultException(operation, DeviceServiceUri, reply.Status, fault);
        }

        if (!reply.IsSuccess)
        {
            throw Malformed(operation, reply, $"HTTP {reply.Status} without a SOAP fault");
        }

        if (document is null)
        {
            throw Malformed(operation, reply, xmlProblem ?? "not XML");
        }

        if (body is null)
        {
            throw Malformed(operation, reply, $"not a SOAP envelope (root element {document.Root?.Name})");
        }

        var response = body.Elements().FirstOrDefault();
        if (response?.Name.LocalName != operation + "Response")
        {
            throw Malformed(operation, reply, $"expected {operation}Response, got {response?.Name.LocalName ?? "an empty body"}");
        }

        return response;
    }

    private OnvifMalformedResponseException Malformed(string operation, CameraReply reply, string problem) =>
        new(operation, DeviceServiceUri, reply.Status, problem, SoapMessage.Excerpt(reply.Body));

    private OnvifMalformedResponseException Malformed(string operation, string problem, Exception? inner = null) =>
        new(operation, DeviceServiceUri, 200, problem, innerException: inner);

    /// <summary>A required child's text, or a malformed-answer error naming it.</summary>
    private string Required(string operation, XElement parent, string localName) =>
        parent.Child(localName)?.Value.Trim() ?? throw Malformed(operation, $"{parent.Name.LocalName} has no {localName}");
}
