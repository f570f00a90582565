using Nova.Firmware.Server.Hosting;

namespace Nova.Firmware.Server.Packages;

/// <summary>
/// Content-addressed storage for package files: <c>&lt;data&gt;/blobs/sha256/&lt;aa&gt;/&lt;sha256&gt;</c>,
/// where <c>aa</c> is the hash's first two hex digits. An import writes to
/// <c>&lt;data&gt;/blobs/tmp/</c> (same file system, so the final move is an atomic rename);
/// the same content imported twice is one file on disk.
/// </summary>
public sealed class BlobStore(DataDirectory data)
{
    public string Root { get; } = Path.Combine(data.Path, "blobs");
    public string TempDirectory => Path.Combine(Root, "tmp");

    public string PathFor(string sha256)
    {
        if (sha256.Length != 64 || !sha256.All(char.IsAsciiHexDigitLower))
        {
            throw new ArgumentException("Expected a lower-case hex SHA-256.", nameof(sha256));
        }
        return Path.Combine(Root, "sha256", sha256[..2], sha256);
    }

    public bool Exists(string sha256) => File.Exists(PathFor(sha256));

    /// <summary>A new temporary file, deleted when disposed unless it was moved into the store.</summary>
    public TempBlob CreateTemp()
    {
        Directory.CreateDirectory(TempDirectory);
        var path = Path.Combine(TempDirectory, $"import-{Guid.NewGuid():N}.part");
        var stream = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
            BufferSize = 0, // the importer writes large chunks itself
            Options = FileOptions.Asynchronous,
        });
        return new TempBlob(path, stream);
    }

    /// <summary>
    /// Moves a finished temporary file to its content address. When the blob already exists
    /// (the same content was imported before) the temporary file is deleted instead.
    /// </summary>
    public void Commit(TempBlob temp, string sha256)
    {
        var target = PathFor(sha256);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        temp.CloseStream();
        if (!File.Exists(target))
        {
            try
            {
                File.Move(temp.Path, target, overwrite: false);
                temp.MarkMoved();
                return;
            }
            catch (IOException) when (File.Exists(target))
            {
                // Another import of the same content won the race: its file is identical.
            }
        }
        temp.Dispose();
    }

    public void Delete(string sha256)
    {
        var path = PathFor(sha256);
        File.Delete(path);
    }

    /// <summary>Removes temporary files a crashed import left behind (old ones only: another replica may be importing).</summary>
    public int RemoveStaleTemps(DateTimeOffset olderThan)
    {
        if (!Directory.Exists(TempDirectory))
        {
            return 0;
        }
        var removed = 0;
        foreach (var file in new DirectoryInfo(TempDirectory).EnumerateFiles("import-*.part"))
        {
            if (file.LastWriteTimeUtc < olderThan.UtcDateTime)
            {
                try
                {
                    file.Delete();
                    removed++;
                }
                catch (IOException)
                {
                    // still open somewhere; try again at the next start
                }
            }
        }
        return removed;
    }
}

/// <summary>A temporary import file. Disposing it deletes it unless it has been moved into the store.</summary>
public sealed class TempBlob(string path, FileStream stream) : IDisposable
{
    private bool _moved;
    private bool _closed;

    public string Path { get; } = path;
    public FileStream Stream { get; } = stream;

    internal void CloseStream()
    {
        if (!_closed)
        {
            Stream.Dispose();
            _closed = true;
        }
    }

    internal void MarkMoved() => _moved = true;

    public void Dispose()
    {
        CloseStream();
        if (!_moved)
        {
            File.Delete(Path);
        }
    }
}
