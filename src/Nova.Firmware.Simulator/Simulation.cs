using Nova.Firmware.Simulator.Devices;
using Nova.Firmware.Simulator.Faces.Ddi;
using Nova.Firmware.Simulator.Faces.Ddi.Swu;
using Nova.Firmware.Simulator.Faces.Recovery;
using Nova.Firmware.Simulator.Faults;
using Nova.Firmware.Simulator.Fleet;
using Nova.Firmware.Simulator.Time;

namespace Nova.Firmware.Simulator;

/// <summary>
/// A running fleet: the devices, their switches and the one clock. This is the library face tests
/// use; the control API is a thin HTTP layer over the same methods.
/// </summary>
public sealed class Simulation : IAsyncDisposable
{
    private readonly List<SimulatedDevice> _devices = [];
    private readonly Dictionary<string, SimulatedDevice> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PoeSwitch> _switches = new(StringComparer.Ordinal);
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;

    public Simulation(FleetDefinition fleet, HttpClient? http = null, IStockImageFetcher? stockImageFetcher = null, ISwuBundleReader? swuReader = null)
    {
        Fleet = fleet;
        Clock = new SimulationClock(fleet.TimeScale);
        _ownsHttp = http is null;
        _http = http ?? new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), MaxConnectionsPerServer = 256 })
        {
            Timeout = TimeSpan.FromSeconds(100),
        };
        var agent = new DdiAgent(_http, fleet.Ddi, swuReader ?? new MinimalSwuBundleReader());
        foreach (var spec in fleet.Switches)
        {
            _switches[spec.Id] = new PoeSwitch(spec.Id, spec.BudgetWatts) { RestoreStagger = TimeSpan.FromSeconds(spec.RestoreStaggerSeconds) };
        }
        foreach (var spec in fleet.ExpandDevices())
        {
            PoeSwitch? poe = null;
            if (spec.PoeSwitch is { } switchId && !_switches.TryGetValue(switchId, out poe))
            {
                poe = _switches[switchId] = new PoeSwitch(switchId, 0);
            }
            var device = new SimulatedDevice(spec, Clock, poe) { StockImageFetcher = stockImageFetcher };
            if (spec.Kind == DeviceKind.Gateway && fleet.Ddi.ServerUrl is not null)
            {
                device.WhenUp = agent.RunAsync;
            }
            if (!_byId.TryAdd(spec.Id, device))
            {
                throw new ArgumentException($"Device id '{spec.Id}' appears twice in the fleet.", nameof(fleet));
            }
            _devices.Add(device);
        }
    }

    public FleetDefinition Fleet { get; }
    public SimulationClock Clock { get; }
    public IReadOnlyList<SimulatedDevice> Devices => _devices;
    public IReadOnlyCollection<PoeSwitch> Switches => _switches.Values;

    public SimulatedDevice this[string id] => Find(id) ?? throw new KeyNotFoundException($"No simulated device '{id}'.");

    public SimulatedDevice? Find(string id) => _byId.GetValueOrDefault(id);

    public PoeSwitch? FindSwitch(string id) => _switches.GetValueOrDefault(id);

    /// <summary>Powers every device on; they boot in parallel on the shared timer queue.</summary>
    public void Start()
    {
        foreach (var device in _devices)
        {
            device.PowerOn();
        }
    }

    public DeviceTruth Truth(string id) => this[id].Truth();

    /// <summary>Injects a fault into one device (a brownout hits the device's whole switch).</summary>
    public void InjectFault(string id, FaultRequest fault)
    {
        var device = this[id];
        if (fault.Kind == FaultKind.Brownout)
        {
            if (device.Switch is { } poe)
            {
                poe.Brownout();
            }
            else
            {
                device.CutPower(ResetReason.Brownout, TimeSpan.FromSeconds(device.Spec.PowerRestoreSeconds));
            }
            return;
        }
        device.Faults.Arm(fault);
    }

    /// <summary>Injects a fault into a fraction of the fleet, chosen reproducibly by <paramref name="seed"/>.</summary>
    public IReadOnlyList<string> InjectFault(FaultRequest fault, double fraction, int seed = 1)
    {
        if (fraction is < 0 or > 1 || double.IsNaN(fraction))
        {
            throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "fraction must be between 0 and 1.");
        }
        var count = (int)Math.Round(_devices.Count * fraction);
        SimulatedDevice[] chosen = [.. _devices];
        new Random(seed).Shuffle(chosen);
        var ids = chosen.Take(count).Select(device => device.Id).Order(StringComparer.Ordinal).ToList();
        foreach (var id in ids)
        {
            InjectFault(id, fault);
        }
        return ids;
    }

    public void ClearFaults(string id) => this[id].Faults.ClearAll();

    /// <summary>Cuts power and restores it after the device's restore delay (reason power-loss).</summary>
    public void PowerCycle(string id)
    {
        var device = this[id];
        device.CutPower(ResetReason.PowerLoss);
        device.PowerOn(ResetReason.PowerLoss);
    }

    /// <summary>Waits (in real time) until a device's truth satisfies <paramref name="condition"/>.</summary>
    public async Task<DeviceTruth> WaitForAsync(string id, Func<DeviceTruth, bool> condition, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            var truth = Truth(id);
            if (condition(truth))
            {
                return truth;
            }
            if (cts.IsCancellationRequested)
            {
                throw new TimeoutException($"{id} did not reach the expected state in {timeout}; now {truth.Mode}, led {truth.Led}, log:\n{string.Join('\n', truth.SystemLog.TakeLast(15))}");
            }
            await Task.Delay(20, CancellationToken.None);
        }
    }

    public ValueTask DisposeAsync()
    {
        foreach (var device in _devices)
        {
            device.WhenUp = null;
            device.CutPower(ResetReason.User);
        }
        if (_ownsHttp)
        {
            _http.Dispose();
        }
        return ValueTask.CompletedTask;
    }
}
