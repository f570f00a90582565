using System.ComponentModel;
using System.Diagnostics;

namespace Nova.Firmware.EndToEnd.Tests.Swupdate;

/// <summary>Runs a command-line tool (openssl, cpio) to completion, failing loudly when it is missing or fails.</summary>
public static class ExternalTool
{
    public sealed record Result(int ExitCode, string StandardOutput, string StandardError);

    public static async Task<Result> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        string? workingDirectory = null,
        string? standardInput = null,
        CancellationToken cancellationToken = default,
        IReadOnlyDictionary<string, string>? environment = null,
        bool throwOnFailure = true)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = standardInput is not null,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            startInfo.Environment[name] = value;
        }

        using var process = StartOrExplain(startInfo);
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        if (standardInput is not null)
        {
            await process.StandardInput.WriteAsync(standardInput.AsMemory(), cancellationToken);
            process.StandardInput.Close();
        }

        await process.WaitForExitAsync(cancellationToken);
        var result = new Result(process.ExitCode, await stdout, await stderr);
        if (throwOnFailure && result.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"'{fileName} {string.Join(' ', startInfo.ArgumentList)}' exited with {result.ExitCode}: {result.StandardError.Trim()}");
        }

        return result;
    }

    /// <summary>Packs <paramref name="members"/> (in this order) from <paramref name="directory"/> with <c>cpio -o -H newc</c>.</summary>
    public static async Task<byte[]> RunCpioAsync(string directory, IEnumerable<string> members, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo("cpio")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = directory,
        };
        startInfo.ArgumentList.Add("-o");
        startInfo.ArgumentList.Add("-H");
        startInfo.ArgumentList.Add("newc");

        using var process = StartOrExplain(startInfo);
        using var archive = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(archive, cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.StandardInput.WriteAsync(string.Join('\n', members) + "\n");
        process.StandardInput.Close();
        await copy;
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"cpio exited with {process.ExitCode}: {(await stderr).Trim()}");
        }

        return archive.ToArray();
    }

    /// <summary>Starts a process; a missing tool becomes an error that says which package to install.</summary>
    public static Process StartOrExplain(ProcessStartInfo startInfo)
    {
        try
        {
            return Process.Start(startInfo)
                ?? throw new InvalidOperationException($"Could not start '{startInfo.FileName}'.");
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException(
                $"'{startInfo.FileName}' could not be started ({e.Message}). The end-to-end tests need the Debian " +
                $"packages swupdate, openssl and cpio (the CI script installs them).", e);
        }
    }
}
