namespace Nova.Firmware.Server.Ddi;

/// <summary>
/// The databases' order of device ids, for writing many rows in the order they sit in: SQLite
/// compares the stored text, PostgreSQL the uuid's bytes, and both agree with the big-endian bytes
/// (the canonical text form) compared one by one. Guid's own CompareTo is not relied on for it.
/// </summary>
internal sealed class DeviceIdOrder : IComparer<Guid>
{
    public static readonly DeviceIdOrder Instance = new();

    public int Compare(Guid x, Guid y)
    {
        Span<byte> a = stackalloc byte[16];
        Span<byte> b = stackalloc byte[16];
        x.TryWriteBytes(a, bigEndian: true, out _);
        y.TryWriteBytes(b, bigEndian: true, out _);
        return a.SequenceCompareTo(b);
    }
}
