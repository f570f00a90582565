using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using Nova.Firmware.Protocols.Tftp;

namespace Nova.Firmware.Server.Tftp;

/// <summary>
/// Runs the protocol layer's TFTP server over the catalog while the host runs, when
/// Nova:Tftp:Enabled is set. A port it cannot bind fails the start with the settings to change.
/// On stop, running transfers end (reported as server-stopped) and queued timeline entries are
/// written before the host goes on stopping.
/// </summary>
public sealed class TftpRescueServer(
    IOptions<TftpOptions> options, CatalogTftpFileProvider files, TftpTimelineRecorder recorder,
    ILogger<TftpServer> protocolLogger, ILogger<TftpRescueServer> logger, TimeProvider time) : IHostedService
{
    private TftpServer? _server;
    private Task? _recording;
    private readonly CancellationTokenSource _abandonRecording = new();

    /// <summary>Where the server listens (with port 0 configured, the port the system chose); null while off.</summary>
    public IPEndPoint? LocalEndPoint => _server?.LocalEndPoint;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            TftpRescueLog.Disabled(logger);
            return Task.CompletedTask;
        }

        var server = new TftpServer(settings.ToServerOptions(), files, protocolLogger, time, recorder);
        try
        {
            server.Start();
        }
        catch (SocketException e)
        {
            var hint = settings.Port is > 0 and < 1024
                ? " Ports below 1024 need the cap_net_bind_service capability, or keep 6969 and redirect 69 to it (see docs/tftp.md)."
                : "";
            throw new InvalidOperationException(
                $"The TFTP rescue server cannot listen on UDP {settings.BindAddress}:{settings.Port} ({TftpOptions.Section}:BindAddress, {TftpOptions.Section}:Port): {e.Message}.{hint}", e);
        }

        _server = server;
        _recording = Task.Run(() => recorder.RunAsync(_abandonRecording.Token), CancellationToken.None);
        TftpRescueLog.Started(logger, server.LocalEndPoint);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // Taken once: a second stop (the host and a test both stopping) finds nothing to do.
        if (Interlocked.Exchange(ref _server, null) is not { } server)
        {
            return;
        }
        var endPoint = server.LocalEndPoint;
        await server.DisposeAsync();
        recorder.Complete();
        // Queued entries are written unless the host's shutdown time runs out first.
        await using (cancellationToken.Register(() => _abandonRecording.Cancel()))
        {
            await _recording!.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        _abandonRecording.Dispose();
        TftpRescueLog.Stopped(logger, endPoint);
    }
}
