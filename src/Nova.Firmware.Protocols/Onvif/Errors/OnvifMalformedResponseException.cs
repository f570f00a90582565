namespace Nova.Firmware.Protocols.Onvif;

/// <summary>
/// The camera answered, but not with what ONVIF promises: not XML, not a SOAP envelope, the wrong
/// element, a missing or unreadable value, an answer above the size cap, or an HTTP error without
/// a fault. <see cref="Excerpt"/> holds the start of the answer for the diagnosis.
/// </summary>
public sealed class OnvifMalformedResponseException : OnvifException
{
    public OnvifMalformedResponseException(string operation, Uri? endpoint, int httpStatus, string problem, string? excerpt = null, Exception? innerException = null)
        : base(OnvifErrorKind.MalformedResponse, operation, endpoint, $"{operation}: malformed answer (HTTP {httpStatus}): {problem}", innerException)
    {
        HttpStatus = httpStatus;
        Problem = problem;
        Excerpt = excerpt;
    }

    public int HttpStatus { get; }

    public string Problem { get; }

    public string? Excerpt { get; }
}
