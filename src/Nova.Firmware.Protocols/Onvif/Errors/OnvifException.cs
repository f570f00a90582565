namespace Nova.Firmware.Protocols.Onvif;

/// <summary>
/// Base of every error the ONVIF client raises. <see cref="Kind"/> says which branch of diagnosis
/// applies; the subclasses carry the camera's own words.
/// </summary>
public abstract class OnvifException : Exception
{
    protected OnvifException(OnvifErrorKind kind, string operation, Uri? endpoint, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
        Operation = operation;
        Endpoint = endpoint;
    }

    public OnvifErrorKind Kind { get; }

    /// <summary>The ONVIF operation (e.g. <c>GetDeviceInformation</c>), <c>FirmwareUpload</c>, or the vendor call.</summary>
    public string Operation { get; }

    /// <summary>The URL that was called.</summary>
    public Uri? Endpoint { get; }
}
