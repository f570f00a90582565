namespace Nova.Firmware.Protocols.Tftp;

/// <summary>A datagram that is not a well-formed TFTP packet; the message says what is wrong.</summary>
public sealed class TftpPacketFormatException : FormatException
{
    public TftpPacketFormatException(string message) : base(message)
    {
    }

    public TftpPacketFormatException()
    {
    }

    public TftpPacketFormatException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
