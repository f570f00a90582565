namespace Nova.Firmware.Simulator.Devices;

/// <summary>A bounded log kept on the device (oldest lines drop off, as on a small flash).</summary>
public sealed class DeviceLog(int capacity = 200)
{
    private readonly Queue<string> _lines = new();

    public void Write(DateTimeOffset at, string line)
    {
        lock (_lines)
        {
            if (_lines.Count >= capacity)
            {
                _lines.Dequeue();
            }
            _lines.Enqueue($"{at:yyyy-MM-ddTHH:mm:ssZ} {line}");
        }
    }

    public void Clear()
    {
        lock (_lines)
        {
            _lines.Clear();
        }
    }

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }
}
