extern alias novaserver;
extern alias simulator;

using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using novaserver::Nova.Firmware.Server.Hosting;
using simulator::Nova.Firmware.Simulator;
using simulator::Nova.Firmware.Simulator.Fleet;

namespace Nova.Firmware.Cli.Demo;

/// <summary>
/// The server (SQLite in a data directory of its own) and the simulated fleet, in this process,
/// on 127.0.0.1 only. The server is configured for the fleet as an installer would: the PoE
/// switch's budget and the models' draw, and DDI poll intervals that suit the simulator's clock.
/// </summary>
public sealed class DemoHost : IAsyncDisposable
{
    private readonly WebApplication _server;
    private readonly WebApplication _faces;

    private DemoHost(WebApplication server, Simulation simulation, WebApplication faces, FleetDefinition fleet, string adminPassword)
    {
        _server = server;
        _faces = faces;
        Simulation = simulation;
        Fleet = fleet;
        AdminPassword = adminPassword;
        ServerUrl = Address(server);
        SimulatorUrl = Address(faces);
    }

    public Simulation Simulation { get; }
    public IReadOnlyList<string> FaultyDevices { get; private init; } = [];
    public FleetDefinition Fleet { get; }
    public string AdminPassword { get; }
    public Uri ServerUrl { get; }
    public Uri SimulatorUrl { get; }

    public static async Task<DemoHost> StartAsync(FleetDefinition fleet, int port, string dataDirectory, CancellationToken ct)
    {
        var adminPassword = "demo-" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));
        var server = await StartServerAsync(port, dataDirectory, adminPassword, ct);
        var serverUrl = Address(server);
        fleet.Ddi.ServerUrl = serverUrl;
        var simulation = new Simulation(fleet);
        var faulty = DemoFleet.ArmFaults(simulation);
        // Its host powers the fleet on; gateways that poll before they are enrolled are refused and retry.
        var faces = await SimulatorApp.StartAsync(simulation);
        return new DemoHost(server, simulation, faces, fleet, adminPassword) { FaultyDevices = faulty };
    }

    private static async Task<WebApplication> StartServerAsync(int port, string dataDirectory, string adminPassword, CancellationToken ct)
    {
        // Checked first so a busy port is one line, not the host's start-up failure with its stack trace.
        if (port != 0 && !PortIsFree(port))
        {
            throw PortInUse(port);
        }
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            // The server's own appsettings.json is copied beside this program.
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = "Production",
        });
        builder.WebHost.UseUrls($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
        // The console's files (its CSS and script, Blazor's own script) are the server project's static
        // web assets. The build copies their manifest beside this program under the server's name; a
        // host serves them only from its own application's manifest unless it is pointed at one.
        builder.WebHost.UseSetting(WebHostDefaults.StaticWebAssetsKey, Path.Combine(AppContext.BaseDirectory, "Nova.Firmware.Server.staticwebassets.runtime.json"));
        builder.WebHost.UseStaticWebAssets();
        builder.Configuration.AddInMemoryCollection(Settings(dataDirectory, adminPassword));
        builder.AddNovaFirmware();
        var app = builder.Build();
        await app.PrepareDatabaseAsync();
        app.MapNovaFirmware();
        try
        {
            await app.StartAsync(ct);
        }
        catch (IOException ex) when (ex.InnerException is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse } || ex.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
        {
            await app.DisposeAsync();
            throw PortInUse(port);
        }
        return app;
    }

    private static CliException PortInUse(int port) =>
        new(ExitCodes.Failure, $"Port {port} on 127.0.0.1 is in use (a server already running?). Stop it, or pick another with --port.");

    private static bool PortIsFree(int port)
    {
        try
        {
            var probe = new TcpListener(IPAddress.Loopback, port);
            probe.Start();
            probe.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static Dictionary<string, string?> Settings(string dataDirectory, string adminPassword) => new()
    {
        ["Nova:DataDirectory"] = dataDirectory,
        ["Nova:AdminPassword"] = adminPassword,
        ["Nova:Database:Provider"] = "Sqlite",
        // The fleet's one PoE switch and its gateways' draw (demo.yaml): the rollout keeps within it.
        ["Nova:Power:Switches:poe-lobby:BudgetWatts"] = "80",
        ["Nova:Power:Models:GW-100:IdleWatts"] = "4",
        ["Nova:Power:Models:GW-100:FlashWatts"] = "9",
        // Gateways sleep what the server says in simulated time (60x): a minute is a real second.
        ["Nova:Ddi:PollSleep"] = "00:01:00",
        ["Nova:Ddi:ActivePollSleep"] = "00:00:30",
        // Cameras are probed every 10 s rather than every minute, so they show healthy soon after the start.
        ["Nova:Engine:Health:ProbeInterval"] = "00:00:10",
        // The demo prints its own steps; the server says only what went wrong.
        ["Logging:LogLevel:Default"] = "Warning",
        ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Warning",
        // The demo's key ring lives in its throw-away data directory; unencrypted at rest is expected there.
        ["Logging:LogLevel:Microsoft.AspNetCore.DataProtection"] = "Error",
    };

    private static Uri Address(WebApplication app)
    {
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new Uri(address.EndsWith('/') ? address : address + "/");
    }

    public async ValueTask DisposeAsync()
    {
        await Simulation.DisposeAsync();
        await _faces.DisposeAsync();
        await _server.StopAsync(CancellationToken.None);
        await _server.DisposeAsync();
    }
}
