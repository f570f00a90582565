namespace Nova.Firmware.Protocols.Swu;

/// <summary>One cpio header: the entry's name, size and the fields a reader checks.</summary>
public sealed record CpioEntry(string Name, long Size, uint Mode, uint Checksum, CpioFormat Format, long HeaderOffset)
{
    private const uint FileTypeMask = 0xF000; // S_IFMT
    private const uint RegularFile = 0x8000;  // S_IFREG

    public bool IsRegularFile => (Mode & FileTypeMask) == RegularFile;
}
