namespace Nova.Firmware.Simulator.Devices;

/// <summary>One flash partition and what is really written in it.</summary>
public sealed class FlashSlot(string name)
{
    public string Name { get; } = name;
    public ImageFacts? Image { get; private set; }
    /// <summary>How much of the last write reached the flash (100 when complete).</summary>
    public double WrittenPercent { get; private set; }
    /// <summary>Set by the boot-failure fault: the image is fine on paper but the kernel panics.</summary>
    public bool WillPanic { get; private set; }

    public bool Valid => Image is { Intact: true } && WrittenPercent >= 100;

    public string? Version => Valid ? Image!.Version : null;

    public void Load(ImageFacts image, bool willPanic = false)
    {
        Image = image;
        WrittenPercent = 100;
        WillPanic = willPanic;
    }

    public void BeginWrite()
    {
        Image = null;
        WrittenPercent = 0;
        WillPanic = false;
    }

    public void Progress(double percent) => WrittenPercent = percent;

    public bool Boots(DeviceSpec spec) =>
        Valid && !WillPanic && Image!.FitsHardware(spec.Soc, spec.HwRevision);
}
