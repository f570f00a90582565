namespace Nova.Firmware.Protocols.Onvif.Transport;

/// <summary>The caller's image stream held fewer bytes than the length it declared.</summary>
internal sealed class ImageStreamEndedException(long sent, long declared)
    : EndOfStreamException($"The image stream ended after {sent} of the declared {declared} bytes; the upload was aborted.");
