namespace Nova.Firmware.Protocols.Tftp;

/// <summary>Option names this implementation negotiates; compare with OrdinalIgnoreCase.</summary>
public static class TftpOptionNames
{
    /// <summary>RFC 2348: bytes per DATA block, 8–65464.</summary>
    public const string BlockSize = "blksize";

    /// <summary>RFC 2349: the file's size; a reading client sends 0 and the server fills it in.</summary>
    public const string TransferSize = "tsize";

    /// <summary>RFC 2349: retransmission timeout in whole seconds, 1–255.</summary>
    public const string Timeout = "timeout";

    /// <summary>RFC 7440: DATA blocks sent before waiting for an ACK, 1–65535.</summary>
    public const string WindowSize = "windowsize";
}
