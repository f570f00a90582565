namespace Nova.Firmware.Protocols.Swu;

/// <summary>The two cpio header flavours SWUpdate reads (<c>cpio -H newc</c> and <c>cpio -H crc</c>).</summary>
public enum CpioFormat
{
    /// <summary>Magic "070701": no checksum.</summary>
    Newc = 0,
    /// <summary>Magic "070702": the header carries the 32-bit sum of the entry's data bytes.</summary>
    Crc = 1,
}
