namespace Nova.Firmware.Simulator.Faults;

/// <summary>Faults armed on one device. One-shot faults disarm themselves when they fire.</summary>
public sealed class DeviceFaults
{
    private readonly Lock _gate = new();

    public double? PowerLossAtWritePercent { get; private set; }
    public int ConnectionDrops { get; private set; }
    public double ConnectionDropAtPercent { get; private set; } = 50;
    public double? TruncateAtPercent { get; private set; }
    public int CorruptByteCount { get; private set; }
    public bool BootFailure { get; private set; }
    public bool NoVerify { get; private set; }
    public bool AcceptWrongHardware { get; private set; }
    public bool Unreachable { get; private set; }

    public void Arm(FaultRequest request)
    {
        lock (_gate)
        {
            switch (request.Kind)
            {
                case FaultKind.PowerLoss:
                    PowerLossAtWritePercent = Percent(request, 40);
                    break;
                case FaultKind.ConnectionDrop:
                    ConnectionDrops = request.Count ?? 1;
                    ConnectionDropAtPercent = Percent(request, 50);
                    break;
                case FaultKind.TruncatedTransfer:
                    TruncateAtPercent = Percent(request, 50);
                    break;
                case FaultKind.CorruptBytes:
                    CorruptByteCount = request.Count ?? 16;
                    break;
                case FaultKind.BootFailure:
                    BootFailure = true;
                    break;
                case FaultKind.NoVerify:
                    NoVerify = true;
                    break;
                case FaultKind.AcceptWrongHardware:
                    AcceptWrongHardware = true;
                    break;
                case FaultKind.Unreachable:
                    Unreachable = true;
                    break;
                case FaultKind.Brownout:
                    // Not armed: a brownout happens at once on the device's switch (see Simulation).
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(request), request.Kind, "Unknown fault.");
            }
        }
    }

    public void ClearAll()
    {
        lock (_gate)
        {
            PowerLossAtWritePercent = null;
            ConnectionDrops = 0;
            TruncateAtPercent = null;
            CorruptByteCount = 0;
            BootFailure = false;
            NoVerify = false;
            AcceptWrongHardware = false;
            Unreachable = false;
        }
    }

    /// <summary>Returns the percent at which power fails during this write, consuming the fault.</summary>
    public double? TakePowerLoss() => Take(() => PowerLossAtWritePercent, () => PowerLossAtWritePercent = null);

    /// <summary>Returns where this download attempt drops, or null; each call uses up one drop.</summary>
    public double? TakeConnectionDrop()
    {
        lock (_gate)
        {
            if (ConnectionDrops <= 0)
            {
                return null;
            }
            ConnectionDrops--;
            return ConnectionDropAtPercent;
        }
    }

    public double? TakeTruncation() => Take(() => TruncateAtPercent, () => TruncateAtPercent = null);

    public int TakeCorruption()
    {
        lock (_gate)
        {
            var count = CorruptByteCount;
            CorruptByteCount = 0;
            return count;
        }
    }

    public bool TakeBootFailure()
    {
        lock (_gate)
        {
            var armed = BootFailure;
            BootFailure = false;
            return armed;
        }
    }

    public IReadOnlyList<string> Describe()
    {
        lock (_gate)
        {
            var armed = new List<string>();
            if (PowerLossAtWritePercent is { } p) { armed.Add($"power-loss at {p}%"); }
            if (ConnectionDrops > 0) { armed.Add($"connection-drop x{ConnectionDrops} at {ConnectionDropAtPercent}%"); }
            if (TruncateAtPercent is { } t) { armed.Add($"truncated-transfer at {t}%"); }
            if (CorruptByteCount > 0) { armed.Add($"corrupt-bytes x{CorruptByteCount}"); }
            if (BootFailure) { armed.Add("boot-failure"); }
            if (NoVerify) { armed.Add("no-verify"); }
            if (AcceptWrongHardware) { armed.Add("accept-wrong-hardware"); }
            if (Unreachable) { armed.Add("unreachable"); }
            return armed;
        }
    }

    private static double Percent(FaultRequest request, double fallback) =>
        request.Percent is { } p && p is >= 0 and <= 100 ? p
        : request.Percent is null ? fallback
        : throw new ArgumentOutOfRangeException(nameof(request), request.Percent, "percent must be between 0 and 100.");

    private double? Take(Func<double?> read, Action clear)
    {
        lock (_gate)
        {
            var value = read();
            clear();
            return value;
        }
    }
}
