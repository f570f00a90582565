namespace Nova.Firmware.Simulator.Devices;

/// <summary>
/// A PoE switch with a power budget. When the devices on it draw more than the budget (too many
/// flashing or booting at once) the supply sags and every powered port resets: a brownout.
/// Ports come back one after another (port number × <see cref="RestoreStagger"/>), as PoE switches
/// re-enable ports in sequence.
/// </summary>
public sealed class PoeSwitch(string id, double budgetWatts)
{
    private readonly List<SimulatedDevice> _devices = [];
    private int _inBrownout;

    public string Id { get; } = id;
    public double BudgetWatts { get; } = budgetWatts;
    public TimeSpan RestoreStagger { get; init; } = TimeSpan.FromSeconds(1);
    public int BrownoutCount { get; private set; }
    /// <summary>The simulator's record: the most devices on this switch ever writing flash at the same moment.</summary>
    public int PeakWriting { get; private set; }
    /// <summary>The simulator's record: the highest draw ever seen on this switch, in watts.</summary>
    public double PeakDrawWatts { get; private set; }

    public IReadOnlyList<SimulatedDevice> Devices
    {
        get
        {
            lock (_devices)
            {
                return [.. _devices];
            }
        }
    }

    public double DrawWatts => Devices.Sum(device => device.DrawWatts);

    internal void Attach(SimulatedDevice device)
    {
        lock (_devices)
        {
            _devices.Add(device);
        }
    }

    /// <summary>Called whenever a device's draw changes; trips a brownout over budget.</summary>
    internal void DrawChanged()
    {
        var devices = Devices;
        var draw = devices.Sum(device => device.DrawWatts);
        var writing = devices.Count(device => device.Activity == DeviceActivity.Writing && device.Mode != DeviceMode.Off);
        lock (_devices)
        {
            PeakWriting = Math.Max(PeakWriting, writing);
            PeakDrawWatts = Math.Max(PeakDrawWatts, draw);
        }
        if (BudgetWatts > 0 && draw > BudgetWatts)
        {
            Brownout();
        }
    }

    /// <summary>Sags the supply now: every powered device on this switch resets.</summary>
    public void Brownout()
    {
        if (Interlocked.Exchange(ref _inBrownout, 1) == 1)
        {
            return;
        }
        try
        {
            BrownoutCount++;
            foreach (var device in Devices)
            {
                device.CutPower(ResetReason.Brownout, TimeSpan.FromSeconds(device.Spec.PowerRestoreSeconds) + (RestoreStagger * device.Spec.PoePort));
            }
        }
        finally
        {
            Volatile.Write(ref _inBrownout, 0);
        }
    }
}
