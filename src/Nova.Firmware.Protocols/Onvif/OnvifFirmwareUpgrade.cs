namespace Nova.Firmware.Protocols.Onvif;

/// <summary>
/// StartFirmwareUpgrade's answer: where to POST the image, how long to wait before (UploadDelay)
/// and how long the camera expects to be gone afterwards (ExpectedDownTime).
/// </summary>
public sealed record FirmwareUpgradeTicket(Uri UploadUri, TimeSpan UploadDelay, TimeSpan ExpectedDownTime);

/// <summary>
/// A firmware upload the camera accepted (2xx). The camera now reprograms and reboots on its own;
/// <see cref="FirmwareUpgradeTicket.ExpectedDownTime"/> says how long to expect silence.
/// </summary>
public sealed record FirmwareUploadResult(FirmwareUpgradeTicket Ticket, int HttpStatus, string ResponseText, long BytesSent);
