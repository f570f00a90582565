using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json.Serialization;

namespace Nova.Firmware.Simulator.Devices;

/// <summary>
/// The stable strings the simulator's enums are sent as (the same kebab-case words the server
/// stores). Taken from <see cref="JsonStringEnumMemberNameAttribute"/> so JSON and configData agree.
/// </summary>
public static class Wire
{
    private static readonly ConcurrentDictionary<(Type, object), string> Names = new();

    public static string Name<T>(T value) where T : struct, Enum =>
        Names.GetOrAdd((typeof(T), value), static key =>
            key.Item1.GetField(key.Item2.ToString()!)?.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name
            ?? key.Item2.ToString()!.ToLowerInvariant());
}
