using System.Text.Json;
using System.Text.Json.Serialization;

namespace Nova.Firmware.Server.Admin;

/// <summary>
/// <c>nova-backup.json</c>, written last into a backup directory: its presence means the backup is
/// complete. It lists every package blob with its SHA-256 so a restore can verify each one.
/// </summary>
public sealed record BackupManifest(
    int Format,
    DateTimeOffset CreatedAt,
    string Provider,
    string? DatabaseFile,
    string? LatestMigration,
    long Jobs,
    bool KeyRing,
    IReadOnlyList<BackupBlob> Blobs,
    IReadOnlyList<string> Quarantined)
{
    public const string FileName = "nova-backup.json";
    public const int CurrentFormat = 1;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.Never };

    public async Task WriteAsync(string directory, CancellationToken ct)
    {
        var path = Path.Combine(directory, FileName);
        await using (var file = File.Create(path + ".tmp"))
        {
            await JsonSerializer.SerializeAsync(file, this, Json, ct);
            await file.FlushAsync(ct);
            file.Flush(flushToDisk: true);
        }
        File.Move(path + ".tmp", path, overwrite: true);
    }

    public static async Task<BackupManifest> ReadAsync(string directory, CancellationToken ct)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
        {
            throw new AdminCommandException($"{directory} holds no complete backup: {FileName} is missing (a backup writes it last).");
        }
        await using var file = File.OpenRead(path);
        var manifest = await JsonSerializer.DeserializeAsync<BackupManifest>(file, Json, ct)
            ?? throw new AdminCommandException($"{path} is empty.");
        if (manifest.Format != CurrentFormat)
        {
            throw new AdminCommandException($"{path} is backup format {manifest.Format}; this build reads format {CurrentFormat}.");
        }
        return manifest;
    }
}

/// <summary>One package file: its content address and size, as the catalog records them.</summary>
public sealed record BackupBlob(string Sha256, long Size);
