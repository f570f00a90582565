using System.Diagnostics;

namespace Nova.Firmware.Protocols.Tests.Swu;

/// <summary>Runs a real command-line tool (GNU cpio) in a directory, as a user would.</summary>
internal static class Tools
{
    public static async Task<(int ExitCode, string Output)> RunAsync(string directory, string file, string arguments, byte[]? stdin = null)
    {
        var start = new ProcessStartInfo("/bin/sh", ["-c", $"{file} {arguments}"])
        {
            WorkingDirectory = directory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.BaseStream.WriteAsync(stdin);
        }
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    public static string TempDirectory()
    {
        var dir = Path.Combine(Path.GetTempPath(), "nova-swu-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }
}
