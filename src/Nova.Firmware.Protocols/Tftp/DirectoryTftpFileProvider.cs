using System.Net;

namespace Nova.Firmware.Protocols.Tftp;

/// <summary>
/// Serves files below one root directory. A name with a <c>..</c> segment, or an absolute path that
/// is not below the root, is an access violation; an absolute path below the root is served, as
/// U-Boot and PXE setups often send the server's own path.
/// </summary>
public sealed class DirectoryTftpFileProvider : ITftpFileProvider
{
    private readonly string _root;

    public DirectoryTftpFileProvider(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        _root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
    }

    public string Root => _root;

    public ValueTask<TftpFileLookup> OpenAsync(string fileName, IPEndPoint remoteEndPoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        if (!TryResolve(fileName, out var path, out var refusal))
        {
            return ValueTask.FromResult(TftpFileLookup.AccessViolation(refusal));
        }

        try
        {
            var stream = new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.Open,
                Access = FileAccess.Read,
                Share = FileShare.Read,
                // Read synchronously on the transfer's own thread, in large chunks (no buffer needed).
                Options = FileOptions.SequentialScan,
                BufferSize = 0,
            });
            return ValueTask.FromResult(TftpFileLookup.Found(stream, stream.Length));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return ValueTask.FromResult(TftpFileLookup.NotFound($"File '{fileName}' not found."));
        }
        catch (UnauthorizedAccessException)
        {
            // Also what opening a directory reports: either way the client may not read it.
            return ValueTask.FromResult(TftpFileLookup.AccessViolation($"File '{fileName}' may not be read."));
        }
    }

    /// <summary>Maps a requested name to a full path below the root, or says why it may not.</summary>
    public bool TryResolve(string fileName, out string path, out string refusal)
    {
        path = "";
        var segments = fileName.Split('/', '\\');
        if (Array.Exists(segments, s => s == ".."))
        {
            refusal = $"File name '{fileName}' climbs out with '..'.";
            return false;
        }

        var normalized = fileName.Replace('\\', '/');
        string candidate;
        if (normalized.StartsWith('/'))
        {
            candidate = Path.GetFullPath(normalized);
            if (!IsBelowRoot(candidate))
            {
                refusal = $"Absolute path '{fileName}' is outside the TFTP root.";
                return false;
            }
        }
        else
        {
            candidate = Path.GetFullPath(Path.Combine(_root, normalized));
        }

        if (!IsBelowRoot(candidate))
        {
            refusal = $"File name '{fileName}' resolves outside the TFTP root.";
            return false;
        }

        path = candidate;
        refusal = "";
        return true;
    }

    private bool IsBelowRoot(string fullPath) =>
        fullPath.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal);
}
