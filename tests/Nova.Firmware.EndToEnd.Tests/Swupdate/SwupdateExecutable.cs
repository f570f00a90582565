using System.Globalization;

namespace Nova.Firmware.EndToEnd.Tests.Swupdate;

/// <summary>Finds the real <c>swupdate</c> binary and runs its one-shot check mode.</summary>
public static class SwupdateExecutable
{
    /// <summary>The path of <c>swupdate</c>; a missing client is a test failure with a clear message, never a skip.</summary>
    public static string Find()
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var directory in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Append("/usr/sbin").Append("/usr/bin"))
        {
            var candidate = Path.Combine(directory, "swupdate");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException(
            "swupdate was not found on PATH. The end-to-end tests run the real client: install the Debian package 'swupdate' (the CI script does).");
    }

    /// <summary>What <c>swupdate -c</c> said about a bundle.</summary>
    /// <param name="Accepted">Judged from the install lines, not from the exit code nor the closing
    /// "[endupdate] : SWUpdate was successful !" line: in 2022.12's check mode both are racy (a good
    /// bundle exits 1 now and then; a refused one sometimes ends with "was successful").</param>
    public sealed record CheckResult(bool Accepted, int ExitCode, string Output);

    /// <summary>
    /// <c>swupdate -c -i bundle</c>: verifies signature, hardware compatibility and hashes without
    /// installing anything.
    /// </summary>
    public static async Task<CheckResult> CheckBundleAsync(
        string bundlePath, string certificatePath, string hardwareRevision, string tempDirectory, CancellationToken cancellationToken = default,
        IReadOnlyList<string>? extraArguments = null)
    {
        Directory.CreateDirectory(tempDirectory);
        var result = await ExternalTool.RunAsync(
            Find(),
            ["-l", 3.ToString(CultureInfo.InvariantCulture), "-k", certificatePath, "-H", $"board:{hardwareRevision}", .. extraArguments ?? [], "-c", "-i", bundlePath],
            workingDirectory: tempDirectory,
            environment: new Dictionary<string, string> { ["TMPDIR"] = tempDirectory },
            throwOnFailure: false,
            cancellationToken: cancellationToken);
        var output = result.StandardOutput + result.StandardError;
        var accepted = output.Contains("SWUPDATE successful !", StringComparison.Ordinal)
            && !output.Contains("[ERROR]", StringComparison.Ordinal);
        return new CheckResult(accepted, result.ExitCode, output);
    }
}
