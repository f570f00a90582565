using System.Reflection;
using System.Text.Json.Serialization;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;

namespace Nova.Firmware.Simulator.Fleet;

/// <summary>Lets YAML fleet files use the same enum words as JSON ("single-with-recovery", "gateway").</summary>
internal sealed class KebabEnumConverter : IYamlTypeConverter
{
    public bool Accepts(Type type) => type.IsEnum;

    public object? ReadYaml(IParser parser, Type type, ObjectDeserializer rootDeserializer)
    {
        var scalar = parser.Consume<Scalar>();
        foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            var wire = field.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name;
            if (string.Equals(wire, scalar.Value, StringComparison.OrdinalIgnoreCase) || string.Equals(field.Name, scalar.Value, StringComparison.OrdinalIgnoreCase))
            {
                return field.GetValue(null);
            }
        }
        throw new YamlException(scalar.Start, scalar.End, $"'{scalar.Value}' is not a valid {type.Name}.");
    }

    public void WriteYaml(IEmitter emitter, object? value, Type type, ObjectSerializer serializer) =>
        emitter.Emit(new Scalar(value?.ToString() ?? ""));
}
