namespace Nova.Firmware.Server.Credentials;

/// <summary>
/// The "Nova:DataProtection" section: the key ring that encrypts stored device credentials.
/// Replicas must share both the directory and the application name, or one cannot read what
/// another stored.
/// </summary>
public sealed class KeyRingOptions
{
    public const string Section = "Nova:DataProtection";
    public const string DefaultApplicationName = "nova-firmware";

    /// <summary>Where the keys are kept; default <c>keys</c> under the data directory.</summary>
    public string? KeyRingDirectory { get; set; }

    /// <summary>Isolates this product's keys from other applications sharing the directory.</summary>
    public string ApplicationName { get; set; } = DefaultApplicationName;

    public string ResolvedDirectory(string dataDirectory) =>
        Path.GetFullPath(string.IsNullOrWhiteSpace(KeyRingDirectory) ? Path.Combine(dataDirectory, "keys") : KeyRingDirectory);

    /// <summary>Every problem at once, so an operator fixes the configuration in one go.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(ApplicationName))
        {
            problems.Add($"{Section}:ApplicationName must not be empty (default '{DefaultApplicationName}').");
        }
        if (KeyRingDirectory is { } dir && !string.IsNullOrWhiteSpace(dir) && dir.IndexOfAny(Path.GetInvalidPathChars()) >= 0)
        {
            problems.Add($"{Section}:KeyRingDirectory is not a valid path.");
        }
        return problems;
    }
}
