using System.Net;

namespace Nova.Firmware.Protocols.Tftp;

/// <summary>Why a server-side transfer ended without the client having the whole file.</summary>
public enum TftpTransferFailure
{
    FileNotFound,
    AccessViolation,
    OptionsRefused,
    IllegalOperation,
    TimedOut,
    ClientError,
    ReadError,
    ServerStopped,
}

public sealed record TftpTransferStarted(
    long TransferId, IPEndPoint Remote, string FileName, TftpTransferParameters Parameters, DateTimeOffset At);

public sealed record TftpTransferCompleted(
    long TransferId, IPEndPoint Remote, string FileName, long Bytes, TimeSpan Duration, DateTimeOffset At);

public sealed record TftpTransferFailed(
    long TransferId, IPEndPoint Remote, string FileName, TftpTransferFailure Failure, string Reason, long BlocksAcknowledged, DateTimeOffset At);

/// <summary>
/// Told about every read transfer, so the host can append observations to a device's timeline.
/// Called on the transfer's own task: keep it quick (queue the work) and do not throw.
/// </summary>
public interface ITftpTransferObserver
{
    void OnStarted(TftpTransferStarted started);

    void OnCompleted(TftpTransferCompleted completed);

    void OnFailed(TftpTransferFailed failed);
}
