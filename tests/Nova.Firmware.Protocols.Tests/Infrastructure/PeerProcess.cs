using System.Diagnostics;

namespace Nova.Firmware.Protocols.Tests.Infrastructure;

public sealed record PeerResult(int ExitCode, string StandardOutput, string StandardError)
{
    public override string ToString() => $"exit {ExitCode}; stdout: {StandardOutput}; stderr: {StandardError}";
}

/// <summary>Runs a real command-line peer (curl, atftp) to completion.</summary>
public static class PeerProcess
{
    /// <summary>A guard against a hung peer, not a speed expectation.</summary>
    private static readonly TimeSpan Guard = TimeSpan.FromMinutes(10);

    public static async Task<PeerResult> RunAsync(string fileName, params string[] arguments)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var guard = new CancellationTokenSource(Guard);
        try
        {
            await process.WaitForExitAsync(guard.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', arguments)} did not finish.");
        }

        return new PeerResult(process.ExitCode, await stdout, await stderr);
    }
}
