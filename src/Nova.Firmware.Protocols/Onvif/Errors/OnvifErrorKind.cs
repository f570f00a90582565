namespace Nova.Firmware.Protocols.Onvif;

/// <summary>What went wrong talking to a camera, coarse enough for diagnosis to branch on.</summary>
public enum OnvifErrorKind
{
    /// <summary>No answer: connection refused, reset, timed out, name not resolved, TLS failed.</summary>
    Unreachable = 0,

    /// <summary>The camera answered and refused our credentials.</summary>
    AuthenticationFailed = 1,

    /// <summary>The camera answered with a SOAP fault (other than NotAuthorized).</summary>
    Fault = 2,

    /// <summary>The camera answered something that is not the expected ONVIF answer.</summary>
    MalformedResponse = 3,

    /// <summary>The firmware upload was answered with an HTTP error (415 invalid image, 500 device failure, ...).</summary>
    UploadRejected = 4,

    /// <summary>We deliberately do not implement this operation or answer variant.</summary>
    NotSupported = 5,

    /// <summary>The vendor extension answered with an HTTP error.</summary>
    VendorExtensionError = 6,
}
