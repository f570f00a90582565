namespace Nova.Firmware.EndToEnd.Tests.Swupdate;

/// <summary>A fresh directory under the system temp folder, deleted with everything in it on dispose.</summary>
public sealed class TestDirectory : IDisposable
{
    private TestDirectory(string path) => Path = path;

    public string Path { get; }

    public static TestDirectory Create(string prefix = "nova-e2e")
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        return new TestDirectory(path);
    }

    /// <summary>Creates (if needed) and returns a sub-directory.</summary>
    public string Sub(string name)
    {
        var path = System.IO.Path.Combine(Path, name);
        Directory.CreateDirectory(path);
        return path;
    }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A process that is still shutting down may hold a socket file; the OS cleans temp later.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
