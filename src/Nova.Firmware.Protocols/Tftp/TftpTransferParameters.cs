namespace Nova.Firmware.Protocols.Tftp;

/// <summary>What a transfer runs with after option negotiation (RFC 1350 defaults without it).</summary>
public sealed record TftpTransferParameters(int BlockSize, int WindowSize, TimeSpan Timeout, long? TransferSize)
{
    public static TftpTransferParameters Plain(TimeSpan timeout) =>
        new(TftpPacketCodec.DefaultBlockSize, 1, timeout, null);
}
