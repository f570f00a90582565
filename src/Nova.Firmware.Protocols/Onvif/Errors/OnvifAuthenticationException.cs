namespace Nova.Firmware.Protocols.Onvif;

/// <summary>
/// The camera refused the credentials: HTTP 401 after a Digest answer to a fresh challenge, or a
/// SOAP fault with subcode <c>ter:NotAuthorized</c>. Retrying with the same password will not help.
/// </summary>
public sealed class OnvifAuthenticationException : OnvifException
{
    public OnvifAuthenticationException(string operation, Uri? endpoint, int httpStatus, OnvifAuthMode attempted, string message, OnvifFault? fault = null)
        : base(OnvifErrorKind.AuthenticationFailed, operation, endpoint, message)
    {
        HttpStatus = httpStatus;
        Attempted = attempted;
        Fault = fault;
    }

    public int HttpStatus { get; }

    /// <summary>The scheme that was refused (Digest or UsernameToken; Auto when the camera offered neither).</summary>
    public OnvifAuthMode Attempted { get; }

    /// <summary>The camera's SOAP fault, when it sent one.</summary>
    public OnvifFault? Fault { get; }
}
