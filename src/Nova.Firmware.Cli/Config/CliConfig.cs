using System.Text.Json;
using System.Text.Json.Serialization;

namespace Nova.Firmware.Cli.Config;

/// <summary>The user's saved server and API key: <c>$XDG_CONFIG_HOME/novafw/config.json</c>, mode 0600.</summary>
public sealed class CliConfig
{
    public string? Server { get; set; }
    public string? ApiKey { get; set; }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>XDG base directory rules: <c>XDG_CONFIG_HOME</c> when set and absolute, else <c>~/.config</c>.</summary>
    public static string PathFor(Func<string, string?> environment)
    {
        var xdg = environment("XDG_CONFIG_HOME");
        var root = !string.IsNullOrEmpty(xdg) && Path.IsPathRooted(xdg)
            ? xdg
            : Path.Combine(environment("HOME") is { Length: > 0 } home ? home : System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile), ".config");
        return Path.Combine(root, "novafw", "config.json");
    }

    public static CliConfig Load(string path)
    {
        if (!File.Exists(path))
        {
            return new CliConfig();
        }
        try
        {
            return JsonSerializer.Deserialize<CliConfig>(File.ReadAllText(path), Json) ?? new CliConfig();
        }
        catch (JsonException ex)
        {
            throw CliException.Invalid($"The config file {path} is not valid JSON ({ex.Message}); fix or delete it.");
        }
    }

    /// <summary>
    /// Writes the file through a temporary file created 0600, so the key is never readable by others,
    /// not even for the moment between creating and restricting it.
    /// </summary>
    public void Save(string path)
    {
        var directory = Path.GetDirectoryName(path)!;
        if (!OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        else
        {
            Directory.CreateDirectory(directory);
        }
        var temporary = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using (var stream = new FileStream(temporary, options))
        {
            JsonSerializer.Serialize(stream, this, Json);
        }
        if (!OperatingSystem.IsWindows())
        {
            // UnixCreateMode only applies to a new file; a leftover temporary keeps its old mode.
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        File.Move(temporary, path, overwrite: true);
    }
}
