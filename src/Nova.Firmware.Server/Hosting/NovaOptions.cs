using System.ComponentModel.DataAnnotations;
using Nova.Firmware.Persistence;

namespace Nova.Firmware.Server.Hosting;

/// <summary>The "Nova" configuration section (env: Nova__DataDirectory, Nova__Database__Provider, ...).</summary>
public sealed class NovaOptions : IValidatableObject
{
    public const string Section = "Nova";

    /// <summary>Where the embedded database and the package blobs live. Default: see <see cref="DefaultDataDirectory"/>.</summary>
    public string? DataDirectory { get; set; }

    /// <summary>Password of the first admin; generated and printed once when unset.</summary>
    public string? AdminPassword { get; set; }

    [Required]
    public DatabaseOptions Database { get; set; } = new();

    /// <summary>The first admin's configured password follows the same rule as every other password.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrEmpty(AdminPassword) && Auth.PasswordRule.Problem(AdminPassword) is { } problem)
        {
            yield return new ValidationResult($"Nova:AdminPassword (env Nova__AdminPassword): {problem}", [nameof(AdminPassword)]);
        }
    }

    public string ResolvedDataDirectory => Path.GetFullPath(string.IsNullOrWhiteSpace(DataDirectory) ? DefaultDataDirectory() : DataDirectory);

    /// <summary>The user's data folder (~/.local/share/nova-firmware) or ./data when there is none.</summary>
    public static string DefaultDataDirectory()
    {
        var userData = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData);
        return string.IsNullOrEmpty(userData) ? Path.Combine(Environment.CurrentDirectory, "data") : Path.Combine(userData, "nova-firmware");
    }
}

public sealed class DatabaseOptions
{
    /// <summary><c>sqlite</c> (default, embedded) or <c>postgres</c>.</summary>
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Required for PostgreSQL; for SQLite, defaults to a file in the data directory.</summary>
    public string? ConnectionString { get; set; }
}
