using Nova.Firmware.Persistence;
using Nova.Firmware.Server.Credentials;
using Nova.Firmware.Server.Hosting;

namespace Nova.Firmware.Server.Admin;

/// <summary>
/// Where the server keeps its data, read from the same configuration the server reads
/// (appsettings.json, Nova__ environment variables, command-line settings), so an admin command
/// run beside a server sees that server's data directory and database.
/// </summary>
public sealed record AdminSettings(string DataDirectory, DatabaseProvider Provider, string ConnectionString, string KeyRingDirectory)
{
    public const string DatabaseFileName = "nova-firmware.db";

    public string BlobRoot => Path.Combine(DataDirectory, "blobs");

    public static AdminSettings From(IConfiguration configuration)
    {
        var options = configuration.GetSection(NovaOptions.Section).Get<NovaOptions>() ?? new NovaOptions();
        var dataDirectory = options.ResolvedDataDirectory;
        var connection = options.Database.Provider switch
        {
            DatabaseProvider.Sqlite => options.Database.ConnectionString ?? PersistenceServiceCollectionExtensions.SqliteConnectionString(dataDirectory),
            DatabaseProvider.Postgres => options.Database.ConnectionString
                ?? throw new AdminCommandException("Nova:Database:ConnectionString is required when Nova:Database:Provider is postgres."),
            _ => throw new AdminCommandException($"Unknown database provider {options.Database.Provider}."),
        };
        var keyRing = configuration.GetSection(KeyRingOptions.Section).Get<KeyRingOptions>() ?? new KeyRingOptions();
        return new AdminSettings(dataDirectory, options.Database.Provider, connection, keyRing.ResolvedDirectory(dataDirectory));
    }

    /// <summary>Path of the blob of <paramref name="sha256"/> under <paramref name="blobRoot"/>: the blob store's layout.</summary>
    public static string BlobPath(string blobRoot, string sha256) => Path.Combine(blobRoot, "sha256", sha256[..2], sha256);
}

/// <summary>An admin command that cannot go on; its message is for the operator, the exit code is 1.</summary>
public sealed class AdminCommandException(string message) : Exception(message);
