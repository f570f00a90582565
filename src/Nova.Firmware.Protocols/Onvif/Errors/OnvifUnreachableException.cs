namespace Nova.Firmware.Protocols.Onvif;

/// <summary>Why a camera gave no usable answer at the network level.</summary>
public enum OnvifUnreachableReason
{
    ConnectionRefused = 0,
    ConnectionReset = 1,
    Timeout = 2,
    NameNotResolved = 3,
    NetworkUnreachable = 4,
    TlsFailed = 5,
    Other = 6,
}

/// <summary>The camera could not be reached or dropped the connection before answering.</summary>
public sealed class OnvifUnreachableException : OnvifException
{
    public OnvifUnreachableException(string operation, Uri? endpoint, OnvifUnreachableReason reason, string message, Exception? innerException = null, long? bytesSent = null)
        : base(OnvifErrorKind.Unreachable, operation, endpoint, message, innerException)
    {
        Reason = reason;
        BytesSent = bytesSent;
    }

    public OnvifUnreachableReason Reason { get; }

    /// <summary>For a firmware upload: how much of the image left us before the connection failed.</summary>
    public long? BytesSent { get; }
}
