namespace Nova.Firmware.Protocols.Swu;

/// <summary>One file a bundle's sw-description names (from its images, files or scripts sections).</summary>
public sealed record SwuArtifact(string FileName, string? Type, string? Device, string? Sha256, string Section);

/// <summary>
/// What the server needs from a bundle's sw-description: the software version, the hardware
/// revisions it declares itself compatible with, and every artifact with its declared SHA-256.
/// Both the flat form (<c>software = { version; hardware-compatibility; images }</c>) and the
/// board-scoped form (<c>software = { version; myboard = { hardware-compatibility; images } }</c>,
/// also with selections nested below a board) are read; for the board-scoped form the revisions
/// and artifacts are the union over all boards.
/// </summary>
public sealed record SwDescription(string? Version, IReadOnlyList<string> HardwareCompatibility, IReadOnlyList<SwuArtifact> Artifacts, IReadOnlyList<string> Boards)
{
    private static readonly string[] ArtifactSections = ["images", "files", "scripts"];

    /// <exception cref="SwuFormatException">Not valid libconfig, or not shaped like an sw-description.</exception>
    public static SwDescription Parse(string text)
    {
        var root = LibconfigParser.Parse(text);
        if (root["software"] is not LibconfigGroup software)
        {
            throw new SwuFormatException("sw-description has no 'software' group.");
        }
        var version = software["version"] switch
        {
            null => null,
            LibconfigString s when !string.IsNullOrWhiteSpace(s.Value) => s.Value.Trim(),
            var other => throw new SwuFormatException($"sw-description line {other.Line}: 'version' must be a non-empty string."),
        };

        var hardware = new List<string>();
        var artifacts = new List<SwuArtifact>();
        var boards = new List<string>();
        Collect(software, hardware, artifacts);
        foreach (var setting in software.Settings)
        {
            if (setting.Value is LibconfigGroup board && Collect(board, hardware, artifacts, depth: 1))
            {
                boards.Add(setting.Name);
            }
        }
        return new SwDescription(version, hardware.Distinct(StringComparer.Ordinal).ToList(), artifacts, boards);
    }

    /// <summary>Collects from one group and the groups below it; true when anything was found.</summary>
    private static bool Collect(LibconfigGroup group, List<string> hardware, List<SwuArtifact> artifacts, int depth = 0)
    {
        var found = false;
        foreach (var setting in group.Settings)
        {
            if (setting.Name == "hardware-compatibility")
            {
                if (setting.Value is not LibconfigArray array || array.Items.Any(i => i is not LibconfigString))
                {
                    throw new SwuFormatException($"sw-description line {setting.Value.Line}: 'hardware-compatibility' must be an array of strings.");
                }
                hardware.AddRange(array.Items.Cast<LibconfigString>().Select(s => s.Value.Trim()));
                found = true;
            }
            else if (ArtifactSections.Contains(setting.Name))
            {
                if (setting.Value is not LibconfigList list)
                {
                    throw new SwuFormatException($"sw-description line {setting.Value.Line}: '{setting.Name}' must be a list ( ... ).");
                }
                foreach (var item in list.Items)
                {
                    if (item is not LibconfigGroup entry)
                    {
                        throw new SwuFormatException($"sw-description line {item.Line}: every entry of '{setting.Name}' must be a group {{ ... }}.");
                    }
                    if (entry["filename"] is { } fileName)
                    {
                        artifacts.Add(new SwuArtifact(
                            String(fileName, "filename"),
                            OptionalString(entry["type"], "type"),
                            OptionalString(entry["device"], "device"),
                            OptionalString(entry["sha256"], "sha256")?.ToLowerInvariant(),
                            setting.Name));
                    }
                }
                found = true;
            }
            else if (depth > 0 && setting.Value is LibconfigGroup nested && depth < 8)
            {
                // Selections below a board (board = { stable = { copy1 = { images ... } } }).
                found |= Collect(nested, hardware, artifacts, depth + 1);
            }
        }
        return found;
    }

    private static string String(LibconfigValue value, string name) =>
        value is LibconfigString { Value.Length: > 0 } s ? s.Value
            : throw new SwuFormatException($"sw-description line {value.Line}: '{name}' must be a non-empty string.");

    private static string? OptionalString(LibconfigValue? value, string name) => value is null ? null : String(value, name);
}
