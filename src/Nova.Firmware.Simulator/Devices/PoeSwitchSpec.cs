namespace Nova.Firmware.Simulator.Devices;

/// <summary>A PoE switch as a fleet file declares it.</summary>
public sealed class PoeSwitchSpec
{
    public string Id { get; set; } = "sw-1";
    /// <summary>Total watts the switch can deliver; 0 means unlimited.</summary>
    public double BudgetWatts { get; set; }
    public double RestoreStaggerSeconds { get; set; } = 1;
}
