using System.Security.Cryptography;

namespace Nova.Firmware.Server.Admin;

/// <summary>Copies a package blob while hashing it, and keeps the copy only when it is the content its name says.</summary>
public static class BlobCopy
{
    /// <summary>
    /// Copies <paramref name="source"/> to <paramref name="target"/> (through a temporary file beside
    /// it, fsynced, then renamed) and returns null, or returns why it did not: missing, wrong size,
    /// wrong SHA-256. Nothing is left at <paramref name="target"/> on failure.
    /// </summary>
    public static async Task<string?> CopyVerifiedAsync(string source, string target, BackupBlob expected, CancellationToken ct)
    {
        if (!File.Exists(source))
        {
            return $"blob {expected.Sha256} is missing ({source})";
        }
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var temp = target + ".part";
        string actual;
        long size;
        await using (var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.Asynchronous | FileOptions.SequentialScan))
        await using (var output = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0, FileOptions.Asynchronous))
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = new byte[1024 * 1024];
            int read;
            while ((read = await input.ReadAsync(buffer, ct)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                await output.WriteAsync(buffer.AsMemory(0, read), ct);
            }
            await output.FlushAsync(ct);
            output.Flush(flushToDisk: true);
            actual = Convert.ToHexStringLower(hash.GetHashAndReset());
            size = output.Length;
        }
        if (actual != expected.Sha256 || size != expected.Size)
        {
            File.Delete(temp);
            return $"blob {expected.Sha256} does not match the catalog: SHA-256 {actual}, {size} bytes (expected {expected.Size})";
        }
        File.Move(temp, target, overwrite: true);
        return null;
    }

    /// <summary>Hashes a file in place; null when it matches.</summary>
    public static async Task<string?> VerifyAsync(string path, BackupBlob expected, CancellationToken ct)
    {
        if (!File.Exists(path))
        {
            return $"blob {expected.Sha256} is missing ({path})";
        }
        await using var input = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1024 * 1024, FileOptions.Asynchronous | FileOptions.SequentialScan);
        var actual = Convert.ToHexStringLower(await SHA256.HashDataAsync(input, ct));
        return actual == expected.Sha256 && input.Length == expected.Size ? null
            : $"blob {expected.Sha256} does not match its SHA-256 or size: SHA-256 {actual}, {input.Length} bytes (expected {expected.Size})";
    }
}
