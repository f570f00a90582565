namespace Nova.Firmware.Protocols.Onvif;

/// <summary>An operation or answer variant this client deliberately does not implement, and why.</summary>
public sealed class OnvifNotSupportedException : OnvifException
{
    public OnvifNotSupportedException(string operation, Uri? endpoint, string why)
        : base(OnvifErrorKind.NotSupported, operation, endpoint, $"{operation} is not supported: {why}") => Why = why;

    public string Why { get; }
}
