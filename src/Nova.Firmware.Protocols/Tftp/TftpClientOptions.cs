namespace Nova.Firmware.Protocols.Tftp;

/// <summary>What a download asks the server for, and how patiently it waits.</summary>
public sealed class TftpClientOptions
{
    /// <summary>blksize to ask for (8–65464); null leaves RFC 1350's 512.</summary>
    public int? BlockSize { get; init; }

    /// <summary>windowsize to ask for (1–65535); null means lock-step.</summary>
    public int? WindowSize { get; init; }

    /// <summary>Ask for tsize, so progress can report a total.</summary>
    public bool RequestTransferSize { get; init; }

    /// <summary>timeout option (whole seconds, 1–255) to ask the server to use; null sends none.</summary>
    public int? TimeoutOption { get; init; }

    /// <summary>How long to wait for the server before resending our last packet.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(1);

    public int MaxRetries { get; init; } = 5;

    public bool HasOptions => BlockSize is not null || WindowSize is not null || RequestTransferSize || TimeoutOption is not null;

    public void Validate()
    {
        if (BlockSize is < TftpPacketCodec.MinBlockSize or > TftpPacketCodec.MaxBlockSize)
        {
            throw new ArgumentOutOfRangeException(nameof(BlockSize), BlockSize, $"blksize must be {TftpPacketCodec.MinBlockSize} to {TftpPacketCodec.MaxBlockSize}.");
        }

        if (WindowSize is < 1 or > 65535)
        {
            throw new ArgumentOutOfRangeException(nameof(WindowSize), WindowSize, "windowsize must be 1 to 65535.");
        }

        if (TimeoutOption is < 1 or > 255)
        {
            throw new ArgumentOutOfRangeException(nameof(TimeoutOption), TimeoutOption, "timeout must be 1 to 255 seconds.");
        }

        if (Timeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(Timeout), Timeout, "Timeout must be positive.");
        }

        if (MaxRetries < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxRetries), MaxRetries, "MaxRetries must not be negative.");
        }
    }
}

/// <summary>Bytes written so far and, when the server sent tsize, the total.</summary>
public readonly record struct TftpProgress(long BytesReceived, long? TotalBytes);

/// <summary>A finished download: what was agreed and how long it took. The caller checks the hash.</summary>
public sealed record TftpDownloadResult(long Bytes, TftpTransferParameters Parameters, bool OptionsAcknowledged, TimeSpan Duration);

/// <summary>A download that failed: an ERROR from the server (<see cref="ErrorCode"/> set), a timeout or a protocol fault.</summary>
public sealed class TftpException : Exception
{
    public TftpException(string message, TftpErrorCode? errorCode = null) : base(message) => ErrorCode = errorCode;

    public TftpException() : base("TFTP transfer failed.")
    {
    }

    public TftpException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public TftpException(string message) : base(message)
    {
    }

    /// <summary>The server's error code when it sent an ERROR packet; null for timeouts and protocol faults.</summary>
    public TftpErrorCode? ErrorCode { get; }
}
