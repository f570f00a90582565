namespace Nova.Firmware.Protocols.Onvif;

/// <summary>
/// The camera refused the uploaded image: 415 for an invalid file, 500 for a device-side failure
/// such as "No space left on device". <see cref="ResponseText"/> is the camera's own text.
/// </summary>
public sealed class OnvifUploadException : OnvifException
{
    public OnvifUploadException(Uri endpoint, int httpStatus, string responseText, long bytesSent)
        : base(OnvifErrorKind.UploadRejected, "FirmwareUpload", endpoint, $"Firmware upload refused with HTTP {httpStatus}: {responseText}")
    {
        HttpStatus = httpStatus;
        ResponseText = responseText;
        BytesSent = bytesSent;
    }

    public int HttpStatus { get; }

    public string ResponseText { get; }

    public long BytesSent { get; }

    public bool IsInvalidImage => HttpStatus == 415;
}
