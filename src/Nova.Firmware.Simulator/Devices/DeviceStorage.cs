namespace Nova.Firmware.Simulator.Devices;

/// <summary>The staging area: logs, old firmware backups and snapshots share it with a staged image.</summary>
public sealed class DeviceStorage(long capacityBytes, IEnumerable<StorageItemSpec> items)
{
    private readonly List<StorageItem> _items = [.. items.Select((item, i) => new StorageItem(
        string.IsNullOrEmpty(item.Name) ? $"{Wire.Name(item.Kind)}-{i + 1}" : item.Name, item.Kind, item.SizeBytes))];

    public long CapacityBytes { get; } = capacityBytes;
    public IReadOnlyList<StorageItem> Items => _items;
    public long StagedBytes { get; private set; }
    public long FreeBytes => CapacityBytes - _items.Sum(item => item.SizeBytes) - StagedBytes;

    /// <summary>Reserves room for an incoming image; false is "No space left on device".</summary>
    public bool TryStage(long bytes)
    {
        if (bytes > FreeBytes + StagedBytes)
        {
            return false;
        }
        StagedBytes = bytes;
        return true;
    }

    public void ClearStaged() => StagedBytes = 0;

    /// <summary>Deletes items of one kind (or all clearable items); returns the bytes freed.</summary>
    public long Clear(StorageItemKind? kind)
    {
        var removed = _items.Where(item => kind is null || item.Kind == kind).ToList();
        _items.RemoveAll(removed.Contains);
        return removed.Sum(item => item.SizeBytes);
    }

    public long Remove(string name)
    {
        var removed = _items.Where(item => string.Equals(item.Name, name, StringComparison.Ordinal)).ToList();
        _items.RemoveAll(removed.Contains);
        return removed.Sum(item => item.SizeBytes);
    }

    public void Add(StorageItem item) => _items.Add(item);
}

public sealed record StorageItem(string Name, StorageItemKind Kind, long SizeBytes);
