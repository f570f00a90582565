using System.Collections.Concurrent;
using Nova.Firmware.Protocols.Tftp;

namespace Nova.Firmware.Protocols.Tests.Infrastructure;

/// <summary>Keeps every transfer event and lets a test await the end of a transfer.</summary>
public sealed class RecordingObserver : ITftpTransferObserver
{
    private readonly TaskCompletionSource<object> _firstEnd = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ConcurrentQueue<TftpTransferStarted> Started { get; } = new();

    public ConcurrentQueue<TftpTransferCompleted> Completed { get; } = new();

    public ConcurrentQueue<TftpTransferFailed> Failed { get; } = new();

    /// <summary>The first completed or failed event.</summary>
    public Task<object> FirstEnd => _firstEnd.Task.WaitAsync(TimeSpan.FromMinutes(2));

    public void OnStarted(TftpTransferStarted started) => Started.Enqueue(started);

    public void OnCompleted(TftpTransferCompleted completed)
    {
        Completed.Enqueue(completed);
        _firstEnd.TrySetResult(completed);
    }

    public void OnFailed(TftpTransferFailed failed)
    {
        Failed.Enqueue(failed);
        _firstEnd.TrySetResult(failed);
    }
}
