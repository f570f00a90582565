using System.Security.Cryptography;

namespace Nova.Firmware.Protocols.Tests.Infrastructure;

/// <summary>
/// A directory of its own for one test, world-readable so a peer that drops to nobody (atftpd)
/// can read it; removed on dispose.
/// </summary>
public sealed class TempDirectory : IDisposable
{
    private const UnixFileMode WorldReadableDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private const UnixFileMode WorldReadableFile = UnixFileMode.UserRead | UnixFileMode.UserWrite
        | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "nova-tftp-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
        if (!OperatingSystem.IsWindows())
        {
            System.IO.File.SetUnixFileMode(Path, WorldReadableDirectory);
        }
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Writes <paramref name="size"/> bytes of seeded random data; returns the SHA-256 in hex.</summary>
    public string CreateFile(string name, long size, int seed = 1)
    {
        var path = File(name);
        var random = new Random(seed);
        var chunk = new byte[1 << 20];
        using (var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write))
        {
            for (var left = size; left > 0; left -= chunk.Length)
            {
                random.NextBytes(chunk);
                stream.Write(chunk, 0, (int)Math.Min(left, chunk.Length));
            }
        }

        if (!OperatingSystem.IsWindows())
        {
            System.IO.File.SetUnixFileMode(path, WorldReadableFile);
        }
        return Sha256Of(path);
    }

    public static string Sha256Of(string path)
    {
        using var stream = System.IO.File.OpenRead(path);
        return Convert.ToHexString(SHA256.HashData(stream));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
