using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Threading.Channels;
using Nova.Firmware.Domain.Drivers;
using Nova.Firmware.Domain.Timeline;
using Nova.Firmware.Engine.Observations;
using Nova.Firmware.Protocols.Tftp;

namespace Nova.Firmware.Server.Tftp;

/// <summary>
/// Turns TFTP transfer events into Transfer entries on the timeline of the device they belong to
/// (found by the lookup: address name, or the requester's address). The protocol layer calls the
/// observer on the transfer's own task, so events are only queued here; <see cref="RunAsync"/>
/// writes them one by one, in order, each through the observation sink of a fresh scope.
/// Transfers that belong to no device are left to the protocol layer's log.
/// </summary>
public sealed class TftpTimelineRecorder(
    TftpTransferAttributions attributions, IServiceScopeFactory scopes, Telemetry.DeviceApiMetrics metrics, ILogger<TftpTimelineRecorder> logger) : ITftpTransferObserver
{
    /// <summary>Far above what a recovery wave produces; past it entries are dropped (and logged) rather than memory grown.</summary>
    private const int QueueCapacity = 10_000;

    private readonly Channel<DeviceObservation> _queue = Channel.CreateBounded<DeviceObservation>(
        new BoundedChannelOptions(QueueCapacity) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    public void OnStarted(TftpTransferStarted started)
    {
        if (attributions.Peek(started.Remote) is not { Device: { } device } a)
        {
            return;
        }
        var p = started.Parameters;
        var served = a.PackageFileName is null ? "" : $" (stock image {a.PackageFileName} {a.PackageVersion})";
        Enqueue(device, $"TFTP: sending '{started.FileName}'{served} to {started.Remote}, blksize {p.BlockSize}, windowsize {p.WindowSize}.",
            Record("started", started.TransferId, started.Remote, started.FileName, device, a) with
            {
                BlockSize = p.BlockSize, WindowSize = p.WindowSize, TransferSize = p.TransferSize,
            });
    }

    public void OnCompleted(TftpTransferCompleted completed)
    {
        metrics.TftpCompleted(completed.Bytes);
        if (attributions.Take(completed.Remote) is not { Device: { } device } a)
        {
            return;
        }
        var seconds = completed.Duration.TotalSeconds.ToString("0.0##", CultureInfo.InvariantCulture);
        Enqueue(device, $"TFTP: '{completed.FileName}' sent to {completed.Remote}: {completed.Bytes} bytes in {seconds} s.",
            Record("completed", completed.TransferId, completed.Remote, completed.FileName, device, a) with
            {
                Bytes = completed.Bytes, DurationMs = Math.Round(completed.Duration.TotalMilliseconds, 1),
            });
    }

    public void OnFailed(TftpTransferFailed failed)
    {
        metrics.TftpFailed(JsonNamingPolicy.KebabCaseLower.ConvertName(failed.Failure.ToString()));
        if (attributions.Take(failed.Remote) is not { Device: { } device } a)
        {
            return;
        }
        var failure = JsonNamingPolicy.KebabCaseLower.ConvertName(failed.Failure.ToString());
        Enqueue(device, $"TFTP: '{failed.FileName}' to {failed.Remote} failed ({failure}): {failed.Reason}",
            Record("failed", failed.TransferId, failed.Remote, failed.FileName, device, a) with
            {
                Failure = failure, Reason = failed.Reason, BlocksAcknowledged = failed.BlocksAcknowledged,
            });
    }

    /// <summary>Writes queued entries until <see cref="Complete"/> has been called and the queue is empty.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await foreach (var observation in _queue.Reader.ReadAllAsync(cancellationToken))
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<IObservationSink>().RecordAsync(observation, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // A device deleted meanwhile, a database hiccup: the transfer itself is unaffected.
                TftpRescueLog.TimelineWriteFailed(logger, observation.DeviceId, e);
            }
        }
    }

    /// <summary>No more events: <see cref="RunAsync"/> ends once what is queued is written.</summary>
    public void Complete() => _queue.Writer.TryComplete();

    private void Enqueue(RescueDevice device, string message, TftpTransferRecord record)
    {
        if (!_queue.Writer.TryWrite(new DeviceObservation(device.Id, TimelineEntryKind.Transfer, message, record.ToJson())))
        {
            TftpRescueLog.TimelineEntryDropped(logger, device.Id, message);
        }
    }

    private static TftpTransferRecord Record(string kind, long transferId, IPEndPoint remote, string fileName, RescueDevice device, TftpTransferAttribution a) =>
        new(kind, transferId, remote.ToString(), fileName, device.FoundBy, a.PackageId, a.PackageVersion, a.PackageFileName);
}
