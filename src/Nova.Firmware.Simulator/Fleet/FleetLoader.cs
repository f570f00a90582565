using System.Text.Json;
using System.Text.Json.Serialization;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Nova.Firmware.Simulator.Fleet;

/// <summary>Reads a fleet file (JSON or YAML, same camelCase keys) and checks it.</summary>
public static class FleetLoader
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        Converters = { new JsonStringEnumConverter() },
    };

    public static FleetDefinition Load(string path)
    {
        var text = File.ReadAllText(path);
        var yaml = path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".yml", StringComparison.OrdinalIgnoreCase);
        return yaml ? ParseYaml(text) : ParseJson(text);
    }

    public static FleetDefinition ParseJson(string text)
    {
        try
        {
            return Validate(JsonSerializer.Deserialize<FleetDefinition>(text, Json) ?? throw new FleetFileException("The fleet file is empty."));
        }
        catch (JsonException ex)
        {
            throw new FleetFileException($"Fleet file is not valid: {ex.Message}", ex);
        }
    }

    public static FleetDefinition ParseYaml(string text)
    {
        var deserializer = new DeserializerBuilder()
            .WithNamingConvention(CamelCaseNamingConvention.Instance)
            .WithTypeConverter(new KebabEnumConverter())
            .Build();
        try
        {
            return Validate(deserializer.Deserialize<FleetDefinition?>(text) ?? throw new FleetFileException("The fleet file is empty."));
        }
        catch (YamlException ex)
        {
            throw new FleetFileException($"Fleet file is not valid (line {ex.Start.Line}): {ex.InnerException?.Message ?? ex.Message}", ex);
        }
    }

    private static FleetDefinition Validate(FleetDefinition fleet)
    {
        var problems = new List<string>();
        if (!(fleet.TimeScale > 0))
        {
            problems.Add("timeScale must be greater than 0");
        }
        foreach (var group in fleet.Groups.Where(g => g.Count is < 1 or > 100_000))
        {
            problems.Add($"group '{group.IdPrefix}': count must be between 1 and 100000");
        }
        var ids = fleet.ExpandDevices().Select(d => d.Id).ToList();
        problems.AddRange(ids.GroupBy(id => id, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => $"device id '{g.Key}' appears twice"));
        if (ids.Count == 0)
        {
            problems.Add("the fleet has no devices");
        }
        return problems.Count == 0 ? fleet : throw new FleetFileException("Fleet file is not valid: " + string.Join("; ", problems));
    }
}

public sealed class FleetFileException(string message, Exception? inner = null) : Exception(message, inner);
