using System.Collections.Concurrent;
using System.Reflection;

namespace Nova.Firmware.Domain.Common;

/// <summary>Converts enums to and from their <see cref="WireNameAttribute"/> strings.</summary>
public static class WireNames
{
    private static readonly ConcurrentDictionary<Type, (Dictionary<object, string> ToName, Dictionary<string, object> FromName)> Maps = new();

    public static string ToWire<T>(this T value) where T : struct, Enum => Map(typeof(T)).ToName[value];

    public static T Parse<T>(string name) where T : struct, Enum =>
        TryParse<T>(name, out var value) ? value : throw new FormatException($"'{name}' is not one of: {string.Join(", ", Names<T>())}.");

    public static bool TryParse<T>(string? name, out T value) where T : struct, Enum
    {
        if (name is not null && Map(typeof(T)).FromName.TryGetValue(name.Trim(), out var found))
        {
            value = (T)found;
            return true;
        }
        value = default;
        return false;
    }

    public static IReadOnlyCollection<string> Names<T>() where T : struct, Enum => Map(typeof(T)).FromName.Keys;

    private static (Dictionary<object, string> ToName, Dictionary<string, object> FromName) Map(Type type) =>
        Maps.GetOrAdd(type, static t =>
        {
            var to = new Dictionary<object, string>();
            var from = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase);
            foreach (var field in t.GetFields(BindingFlags.Public | BindingFlags.Static))
            {
                var name = field.GetCustomAttribute<WireNameAttribute>()?.Name
                    ?? throw new InvalidOperationException($"{t.Name}.{field.Name} has no [WireName].");
                var value = field.GetValue(null)!;
                to[value] = name;
                from[name] = value;
            }
            return (to, from);
        });
}
