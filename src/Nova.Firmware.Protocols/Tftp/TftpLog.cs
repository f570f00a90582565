using System.Net;
using Microsoft.Extensions.Logging;

namespace Nova.Firmware.Protocols.Tftp;

/// <summary>Log messages of the TFTP server and client, with stable event ids.</summary>
internal static partial class TftpLog
{
    [LoggerMessage(EventId = 4100, Level = LogLevel.Information, Message = "TFTP server listening on {EndPoint}")]
    public static partial void ServerStarted(ILogger logger, IPEndPoint endPoint);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "TFTP server on {EndPoint} stopped")]
    public static partial void ServerStopped(ILogger logger, IPEndPoint endPoint);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "TFTP request from {Remote} refused: {Reason}")]
    public static partial void RequestRefused(ILogger logger, IPEndPoint remote, string reason);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Debug, Message = "TFTP request from {Remote} for {FileName} repeated while its transfer runs; ignored")]
    public static partial void DuplicateRequestIgnored(ILogger logger, IPEndPoint remote, string fileName);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Error, Message = "TFTP listener on {EndPoint} failed to receive")]
    public static partial void ListenerError(ILogger logger, IPEndPoint endPoint, Exception exception);

    [LoggerMessage(EventId = 4105, Level = LogLevel.Warning, Message = "TFTP request from {Remote} for {FileName} refused: {Limit} transfers are running (Tftp:MaxConcurrentTransfers)")]
    public static partial void TransferLimitReached(ILogger logger, IPEndPoint remote, string fileName, int limit);

    [LoggerMessage(EventId = 4106, Level = LogLevel.Error, Message = "TFTP transfer {TransferId} of {FileName} to {Remote} ended by an unexpected error")]
    public static partial void TransferCrashed(ILogger logger, long transferId, string fileName, IPEndPoint remote, Exception exception);

    [LoggerMessage(EventId = 4110, Level = LogLevel.Information, Message = "TFTP transfer {TransferId} of {FileName} to {Remote} started (blksize {BlockSize}, windowsize {WindowSize}, tsize {TransferSize})")]
    public static partial void TransferStarted(ILogger logger, long transferId, string fileName, IPEndPoint remote, int blockSize, int windowSize, long? transferSize);

    [LoggerMessage(EventId = 4111, Level = LogLevel.Information, Message = "TFTP transfer {TransferId} of {FileName} to {Remote} completed: {Bytes} bytes in {DurationMs} ms")]
    public static partial void TransferCompleted(ILogger logger, long transferId, string fileName, IPEndPoint remote, long bytes, double durationMs);

    [LoggerMessage(EventId = 4112, Level = LogLevel.Warning, Message = "TFTP transfer {TransferId} of {FileName} to {Remote} failed ({Failure}): {Reason}")]
    public static partial void TransferFailed(ILogger logger, long transferId, string fileName, IPEndPoint remote, TftpTransferFailure failure, string reason);

    [LoggerMessage(EventId = 4113, Level = LogLevel.Debug, Message = "TFTP transfer {TransferId}: no answer, resending from block {Block} (attempt {Attempt})")]
    public static partial void Retransmitting(ILogger logger, long transferId, long block, int attempt);

    [LoggerMessage(EventId = 4114, Level = LogLevel.Debug, Message = "TFTP transfer {TransferId}: datagram from unknown transfer id {Stranger}; answered with ERROR 5")]
    public static partial void UnknownTransferId(ILogger logger, long transferId, IPEndPoint stranger);

    [LoggerMessage(EventId = 4120, Level = LogLevel.Information, Message = "TFTP server {Server} ignored the options for {FileName}; continuing as plain RFC 1350")]
    public static partial void ClientOptionsIgnored(ILogger logger, IPEndPoint server, string fileName);

    [LoggerMessage(EventId = 4121, Level = LogLevel.Information, Message = "TFTP server {Server} refused the options for {FileName} ({Reason}); asking again without options")]
    public static partial void ClientOptionsRefused(ILogger logger, IPEndPoint server, string fileName, string reason);

    [LoggerMessage(EventId = 4122, Level = LogLevel.Debug, Message = "TFTP download of {FileName}: no answer, resending (attempt {Attempt})")]
    public static partial void ClientRetransmitting(ILogger logger, string fileName, int attempt);
}
