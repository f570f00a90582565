using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Nova.Firmware.Simulator.Devices;
using Nova.Firmware.Simulator.Faces.Onvif;
using Nova.Firmware.Simulator.Faces.Recovery;
using Nova.Firmware.Simulator.Fleet;

namespace Nova.Firmware.Simulator;

/// <summary>Starts the fleet with the program and stops it with it; answers WS-Discovery for cameras.</summary>
public sealed partial class SimulatorHost(Simulation simulation, IServer server, IConfiguration config, IHostApplicationLifetime lifetime, ILogger<SimulatorHost> logger) : IHostedService
{
    private WsDiscoveryResponder? _discovery;

    /// <summary>The fetcher recovery mode uses in the program: the shared Protocols TFTP client.</summary>
    public static IStockImageFetcher DefaultFetcher { get; set; } = new TftpStockImageFetcher();

    public static Simulation CreateSimulation(FleetDefinition fleet) => new(fleet, stockImageFetcher: DefaultFetcher);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.StartNew();
        simulation.Start();
        LogStarted(logger, simulation.Devices.Count, started.ElapsedMilliseconds, simulation.Clock.Scale, GC.GetTotalMemory(false) / (1024 * 1024));
        lifetime.ApplicationStarted.Register(StartDiscovery);
        return Task.CompletedTask;
    }

    private void StartDiscovery()
    {
        var port = config.GetValue("Simulator:DiscoveryPort", 3702);
        if (port < 0 || !simulation.Devices.Any(d => d.Spec.Kind == DeviceKind.Camera))
        {
            return;
        }
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://127.0.0.1:5080";
        var advertised = new Uri((config["Simulator:AdvertisedUrl"] ?? address.Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal).Replace("[::]", "127.0.0.1", StringComparison.Ordinal)).TrimEnd('/') + "/");
        try
        {
            _discovery = new WsDiscoveryResponder(simulation, advertised);
            _discovery.Start(IPAddress.Any, port);
            LogDiscovery(logger, _discovery.Port, _discovery.JoinedMulticast);
        }
        catch (System.Net.Sockets.SocketException ex)
        {
            LogDiscoveryFailed(logger, port, ex.Message);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_discovery is not null)
        {
            await _discovery.DisposeAsync();
        }
        await simulation.DisposeAsync();
    }

    [LoggerMessage(1, LogLevel.Information, "Started {DeviceCount} simulated devices in {ElapsedMs} ms (time scale {TimeScale}, managed heap {HeapMb} MB)")]
    private static partial void LogStarted(ILogger logger, int deviceCount, long elapsedMs, double timeScale, long heapMb);

    [LoggerMessage(2, LogLevel.Information, "WS-Discovery answering on UDP {Port} (multicast joined: {Multicast})")]
    private static partial void LogDiscovery(ILogger logger, int port, bool multicast);

    [LoggerMessage(3, LogLevel.Warning, "WS-Discovery not started on UDP {Port}: {Reason}")]
    private static partial void LogDiscoveryFailed(ILogger logger, int port, string reason);
}
