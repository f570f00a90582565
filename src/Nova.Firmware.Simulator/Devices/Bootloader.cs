namespace Nova.Firmware.Simulator.Devices;

/// <summary>
/// U-Boot style boot counting (bootcount, bootlimit, upgrade_available, altbootcmd): the counter rises
/// on each boot and is reset by userspace after a good boot; past the limit the other slot is tried.
/// </summary>
public sealed class Bootloader(string bootSlot, int bootLimit)
{
    public string BootSlot { get; set; } = bootSlot;
    public int BootCount { get; set; }
    public int BootLimit { get; } = bootLimit;
    public bool UpgradeAvailable { get; set; }
    /// <summary>Set when altbootcmd switched back to the previous slot; cleared by the next update.</summary>
    public bool FellBack { get; set; }
}
