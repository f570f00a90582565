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

    /// <summary>
    /// <c>swupdate -c -i bundle</c>: verifies signature, hardware compatibility and hashes without
    /// installing. Exit code 0 means the bundle would be accepted by a device with that revision.
    /// </summary>
    public static Task<ExternalTool.Result> CheckBundleAsync(
        string bundlePath, string certificatePath, string hardwareRevision, string tempDirectory, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(tempDirectory);
        return ExternalTool.RunAsync(
            Find(),
            ["-l", 3.ToString(CultureInfo.InvariantCulture), "-k", certificatePath, "-H", $"board:{hardwareRevision}", "-c", "-i", bundlePath],
            workingDirectory: tempDirectory,
            environment: new Dictionary<string, string> { ["TMPDIR"] = tempDirectory },
            throwOnFailure: false,
            cancellationToken: cancellationToken);
    }
}
