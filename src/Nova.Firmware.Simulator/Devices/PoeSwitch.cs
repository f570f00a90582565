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
        if (BudgetWatts > 0 && DrawWatts > BudgetWatts)
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
