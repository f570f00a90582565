namespace Nova.Firmware.Protocols.Onvif;

/// <summary>The vendor extension answered with an unexpected HTTP status; <see cref="Detail"/> is its text.</summary>
public sealed class VendorExtensionException : OnvifException
{
    public VendorExtensionException(string operation, Uri endpoint, int httpStatus, string detail)
        : base(OnvifErrorKind.VendorExtensionError, operation, endpoint, $"{operation} answered HTTP {httpStatus}: {detail}")
    {
        HttpStatus = httpStatus;
        Detail = detail;
    }

    public int HttpStatus { get; }

    public string Detail { get; }
}
