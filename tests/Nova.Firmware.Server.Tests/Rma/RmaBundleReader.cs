using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Nova.Firmware.Server.Tests.Rma;

/// <summary>An RMA bundle opened for assertions: every entry's bytes by path, and the manifest.</summary>
public sealed class RmaBundleReader
{
    public IReadOnlyDictionary<string, byte[]> Entries { get; }
    public JsonElement Manifest { get; }

    public RmaBundleReader(byte[] zip)
    {
        using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        Entries = archive.Entries.ToDictionary(e => e.FullName, e =>
        {
            using var stream = e.Open();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return copy.ToArray();
        });
        Manifest = JsonDocument.Parse(Entries["manifest.json"]).RootElement.Clone();
    }

    public string Text(string path) => Encoding.UTF8.GetString(Entries[path]);

    public JsonElement Json(string path) => JsonDocument.Parse(Entries[path]).RootElement.Clone();

    public IReadOnlyList<string> ListedPaths => Manifest.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("path").GetString()!).ToList();

    /// <summary>Every listed file is in the zip with the listed size and SHA-256; the zip holds nothing else but README and manifest.</summary>
    public void AssertManifestMatches()
    {
        foreach (var file in Manifest.GetProperty("files").EnumerateArray())
        {
            var path = file.GetProperty("path").GetString()!;
            Assert.True(Entries.ContainsKey(path), $"{path} is listed but not in the zip");
            Assert.Equal(file.GetProperty("bytes").GetInt64(), Entries[path].LongLength);
            var sha256 = Convert.ToHexStringLower(SHA256.HashData(Entries[path]));
            Assert.Equal(file.GetProperty("sha256").GetString(), sha256);
            Assert.Contains($"{sha256}  {path}\n", Text("README.txt"));
            Assert.False(string.IsNullOrWhiteSpace(file.GetProperty("description").GetString()));
        }
        Assert.Equal(ListedPaths.Append("README.txt").Append("manifest.json").Order(), Entries.Keys.Order());
    }
}
