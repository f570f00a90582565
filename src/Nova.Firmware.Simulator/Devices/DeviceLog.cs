namespace Nova.Firmware.Simulator.Devices;

/// <summary>
/// A bounded log kept on the device: the oldest lines drop off, as on a small flash, and a message
/// repeated back to back is counted rather than stored again (syslog's "last message repeated").
/// </summary>
public sealed class DeviceLog(int capacity = 200)
{
    private readonly List<string> _lines = [];
    private string? _lastMessage;
    private int _repeats;

    public void Write(DateTimeOffset at, string message)
    {
        lock (_lines)
        {
            if (message == _lastMessage && _lines.Count > 0)
            {
                _repeats++;
                _lines[^1] = $"{at:yyyy-MM-ddTHH:mm:ssZ} {message} (repeated {_repeats + 1} times)";
                return;
            }
            _lastMessage = message;
            _repeats = 0;
            if (_lines.Count >= capacity)
            {
                _lines.RemoveAt(0);
            }
            _lines.Add($"{at:yyyy-MM-ddTHH:mm:ssZ} {message}");
        }
    }

    public void Clear()
    {
        lock (_lines)
        {
            _lines.Clear();
            _lastMessage = null;
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
