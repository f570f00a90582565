using System.Runtime.CompilerServices;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using Nova.Firmware.Protocols.Onvif.Soap;
using Nova.Firmware.Protocols.Onvif.Transport;

namespace Nova.Firmware.Protocols.Onvif;

/// <summary>Firmware: StartFirmwareUpgrade, the streamed upload, and the deprecated MTOM operation we refuse.</summary>
public sealed partial class OnvifClient
{
    /// <summary>
    /// StartFirmwareUpgrade: the camera prepares and hands out an upload URI. Never retried: a
    /// second call could leave the camera waiting on a URI nobody uses.
    /// </summary>
    public async Task<FirmwareUpgradeTicket> StartFirmwareUpgradeAsync(CancellationToken cancellationToken = default)
    {
        const string Operation = "StartFirmwareUpgrade";
        var response = await InvokeAsync(Operation, new XElement(Tds + Operation), idempotent: false, authenticate: true, Options.MaxResponseBytes, cancellationToken).ConfigureAwait(false);
        var uploadUri = Address(Operation, Required(Operation, response, "UploadUri"));
        return new FirmwareUpgradeTicket(uploadUri, Duration(Operation, response, "UploadDelay"), Duration(Operation, response, "ExpectedDownTime"));
    }

    /// <summary>
    /// Waits the ticket's UploadDelay, then POSTs <paramref name="length"/> bytes of
    /// <paramref name="image"/> to its UploadUri as <c>application/octet-stream</c>, streamed and
    /// with <c>Expect: 100-continue</c>. Authenticates up front from the cached Digest challenge;
    /// a challenge that arrives before the body is answered, one that arrives after it is not (the
    /// image is never sent twice). Never retried. 2xx returns; any other status throws
    /// <see cref="OnvifUploadException"/> with the camera's text.
    /// </summary>
    public async Task<FirmwareUploadResult> UploadFirmwareAsync(FirmwareUpgradeTicket ticket, Stream image, long length, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        ArgumentNullException.ThrowIfNull(image);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        if (!image.CanRead)
        {
            throw new ArgumentException("The image stream must be readable.", nameof(image));
        }

        if (image.CanSeek && image.Length - image.Position < length)
        {
            throw new ArgumentException($"The image stream holds {image.Length - image.Position} bytes, fewer than the declared {length}.", nameof(length));
        }

        OnvifLog.UploadStarting(_logger, ticket.UploadUri, length, ticket.UploadDelay.TotalMilliseconds);
        if (ticket.UploadDelay > TimeSpan.Zero)
        {
            await Task.Delay(ticket.UploadDelay, _time, cancellationToken).ConfigureAwait(false);
        }

        var body = new FirmwareImageBody(image, length, progress);
        var request = new CameraRequest("FirmwareUpload", HttpMethod.Post, ticket.UploadUri, body.NewContent, Options.UploadTimeout, Options.MaxResponseBytes)
        {
            // The upload is plain HTTP: Digest is the only scheme it can carry, whatever the mode.
            AnswerDigest = true,
            ExpectContinue = true,
            CanResend = () => !body.Started,
            BytesSent = () => body.BytesSent,
        };
        var reply = await _camera.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var text = Text(reply.Body);
        OnvifLog.UploadAnswered(_logger, ticket.UploadUri, reply.Status, text);
        if (reply.Status == 401)
        {
            throw new OnvifAuthenticationException("FirmwareUpload", ticket.UploadUri, 401, OnvifAuthMode.Digest,
                $"FirmwareUpload: authentication failed{(body.Started ? " after the image was sent; not sent again" : "")}: {text}");
        }

        if (!reply.IsSuccess)
        {
            throw new OnvifUploadException(ticket.UploadUri, reply.Status, text, body.BytesSent);
        }

        return new FirmwareUploadResult(ticket, reply.Status, text, body.BytesSent);
    }

    /// <summary>StartFirmwareUpgrade followed by <see cref="UploadFirmwareAsync"/>: the whole ONVIF push.</summary>
    public async Task<FirmwareUploadResult> UpgradeFirmwareAsync(Stream image, long length, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        var ticket = await StartFirmwareUpgradeAsync(cancellationToken).ConfigureAwait(false);
        return await UploadFirmwareAsync(ticket, image, length, progress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Not implemented on purpose: UpgradeSystemFirmware sends the image inside the SOAP request as
    /// an MTOM/XOP attachment. ONVIF deprecated it in favour of StartFirmwareUpgrade plus an HTTP
    /// POST, which streams and reports 415/500 plainly. Always throws
    /// <see cref="OnvifNotSupportedException"/>, so a driver can treat it like any other unsupported path.
    /// </summary>
    public Task UpgradeSystemFirmwareAsync(CancellationToken cancellationToken = default) =>
        Task.FromException(new OnvifNotSupportedException("UpgradeSystemFirmware", DeviceServiceUri,
            "deprecated by ONVIF (MTOM attachment inside SOAP); use StartFirmwareUpgrade and the HTTP upload"));

    /// <summary>Measures the clock skew once before the first UsernameToken; a failure other than unreachable leaves it at zero.</summary>
    private async Task EnsureClockSkewAsync(CancellationToken cancellationToken)
    {
        if (_clockSkew is not null || !Options.MeasureClockSkewBeforeUsernameToken)
        {
            return;
        }

        try
        {
            var answer = await GetSystemDateAndTimeAsync(cancellationToken).ConfigureAwait(false);
            if (answer.ClockSkew is null)
            {
                _clockSkew = new StrongBox<TimeSpan>(TimeSpan.Zero);
                OnvifLog.ClockSkewUnknown(_logger, DeviceServiceUri, "no UTCDateTime in the answer");
            }
        }
        catch (Exception ex) when (ex is OnvifFaultException or OnvifMalformedResponseException or OnvifAuthenticationException)
        {
            _clockSkew = new StrongBox<TimeSpan>(TimeSpan.Zero);
            OnvifLog.ClockSkewUnknown(_logger, DeviceServiceUri, ex.Message);
        }
    }

    private TimeSpan Duration(string operation, XElement parent, string localName)
    {
        var text = Required(operation, parent, localName);
        try
        {
            return XmlConvert.ToTimeSpan(text);
        }
        catch (FormatException ex)
        {
            throw Malformed(operation, $"{localName} '{text}' is not an xs:duration", ex);
        }
        catch (OverflowException ex)
        {
            throw Malformed(operation, $"{localName} '{text}' is out of range", ex);
        }
    }

    private static string Text(byte[] body) => Encoding.UTF8.GetString(body).Trim();
}
