using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Nova.Firmware.EndToEnd.Tests.Swupdate;

/// <summary>What the device reports after the (simulated) reboot: SWUpdate's suricatta <c>-c</c> values.</summary>
public enum SwupdateConfirmation
{
    /// <summary><c>-c 1</c>: the update should be tried again.</summary>
    Again,

    /// <summary><c>-c 2</c>: the new firmware booted fine; SWUpdate posts closed + success ("Update Installed.").</summary>
    Success,

    /// <summary><c>-c 3</c>: the new firmware failed; SWUpdate posts closed + failure ("Update Failed.").</summary>
    Failed,
}

/// <summary>
/// A real <c>swupdate</c> in suricatta (hawkBit DDI) mode, with its own TMPDIR, its output captured
/// line by line. Dispose stops it: SIGTERM, then SIGKILL of the whole tree when it does not exit
/// (SWUpdate sometimes hangs on SIGTERM with a defunct child).
/// </summary>
public sealed class SwupdateProcess : IAsyncDisposable
{
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(3);
    private SwupdateOptions _options;
    private Process? _process;

    private SwupdateProcess(SwupdateOptions options, string tempDirectory)
    {
        _options = options;
        TempDirectory = tempDirectory;
    }

    /// <summary>Every stdout and stderr line of every run of this instance (restarts are marked).</summary>
    public AwaitableLog<string> Output { get; } = new();

    /// <summary>The TMPDIR of this instance.</summary>
    public string TempDirectory { get; }

    /// <summary>The command line of the current run, for diagnostics and docs.</summary>
    public string CommandLine { get; private set; } = "";

    public bool HasExited => _process is null || _process.HasExited;

    /// <summary>False when the last stop had to kill the process tree because SIGTERM was not enough.</summary>
    public bool LastStopWasGraceful { get; private set; } = true;

    public static SwupdateProcess Start(SwupdateOptions options)
    {
        // Short name: SWUpdate's IPC sockets live in TMPDIR and a Unix socket path must stay under 108 bytes.
        var tempDirectory = Path.Combine(options.WorkDirectory, $"swu-{Guid.NewGuid().ToString("N")[..8]}");
        Directory.CreateDirectory(tempDirectory);
        var instance = new SwupdateProcess(options, tempDirectory);
        instance.Launch(confirmation: null);
        return instance;
    }

    /// <summary>Waits for an output line that matches, or throws <see cref="TimeoutException"/> with the last lines.</summary>
    public Task<string> WaitForOutputAsync(Func<string, bool> predicate, TimeSpan timeout, string? description = null) =>
        Output.WaitForAsync(predicate, timeout, description);

    /// <summary>
    /// Simulates the reboot after an install: stops the process, empties TMPDIR (a tmpfs is empty after
    /// a reboot) and starts it again with <c>-c</c>. SWUpdate then polls, reads the action id from the
    /// offered deploymentBase link and posts closed + success/failure before entering its main loop.
    /// </summary>
    /// <param name="identifyAfterReboot">The attributes the rebooted system reports (a new root file system ships
    /// its own SWUpdate configuration, e.g. the new firmware version); null keeps the current ones.</param>
    public async Task RestartAfterRebootAsync(SwupdateConfirmation confirmation, IReadOnlyDictionary<string, string>? identifyAfterReboot = null)
    {
        await StopAsync();
        if (identifyAfterReboot is not null)
        {
            _options = _options with { Identify = identifyAfterReboot };
        }
        foreach (var entry in Directory.EnumerateFileSystemEntries(TempDirectory))
        {
            if (Directory.Exists(entry))
            {
                Directory.Delete(entry, recursive: true);
            }
            else
            {
                File.Delete(entry);
            }
        }

        Output.Add($"=== restarted with -c {ConfirmValue(confirmation)} ===");
        Launch(confirmation);
    }

    /// <summary>
    /// SIGTERM to the main process; after the grace period SIGKILL to everything of the tree still
    /// alive (snapshot taken before signalling, because orphaned helpers leave the tree). Never waits
    /// unboundedly: a stray helper holding the output pipe must not hang a test.
    /// </summary>
    public async Task StopAsync()
    {
        var process = _process;
        if (process is null)
        {
            return;
        }

        _process = null;
        try
        {
            var tree = ProcessTree.Descendants(process.Id).Prepend(process.Id).ToList();
            ProcessTree.Signal(process.Id, ProcessTree.SigTerm);
            LastStopWasGraceful = await WaitUntilAsync(() => tree.All(pid => !ProcessTree.IsAlive(pid)), StopGrace);
            if (!LastStopWasGraceful)
            {
                foreach (var pid in tree.Where(ProcessTree.IsAlive))
                {
                    ProcessTree.Signal(pid, ProcessTree.SigKill);
                }
            }

            using var drain = new CancellationTokenSource(StopGrace);
            try
            {
                await process.WaitForExitAsync(drain.Token);
            }
            catch (OperationCanceledException)
            {
                // Output pipes still open somewhere; the lines we have are enough.
            }
        }
        finally
        {
            process.Dispose();
        }
    }

    private static async Task<bool> WaitUntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        while (!condition())
        {
            if (Environment.TickCount64 > deadline)
            {
                return false;
            }

            await Task.Delay(50);
        }

        return true;
    }

    public ValueTask DisposeAsync() => new(StopAsync());

    private void Launch(SwupdateConfirmation? confirmation)
    {
        var startInfo = new ProcessStartInfo(SwupdateExecutable.Find())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = TempDirectory,
        };
        startInfo.Environment["TMPDIR"] = TempDirectory;
        foreach (var argument in BuildArguments(confirmation))
        {
            startInfo.ArgumentList.Add(argument);
        }

        CommandLine = $"TMPDIR={TempDirectory} swupdate " + string.Join(' ', startInfo.ArgumentList.Select(a => a.Contains(' ') ? $"\"{a}\"" : a));
        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { Output.Add(e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { Output.Add(e.Data); } };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            process.Dispose();
            throw new InvalidOperationException($"swupdate could not be started ({e.Message}); install the Debian package 'swupdate'.", e);
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
    }

    private List<string> BuildArguments(SwupdateConfirmation? confirmation)
    {
        var arguments = new List<string>
        {
            "-l", _options.LogLevel.ToString(CultureInfo.InvariantCulture),
            "-k", _options.CertificatePath,
            "-H", $"{_options.HardwareBoard}:{_options.HardwareRevision}",
        };
        if (_options.Identify is { Count: > 0 } identify)
        {
            arguments.Add("-f");
            arguments.Add(WriteIdentifyConfig(identify));
        }

        // suricatta parses this one argument itself (split on spaces), so values must not contain spaces.
        var suricatta = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"-t {_options.Tenant} -u {_options.BaseUrl.GetLeftPart(UriPartial.Authority)} -i {_options.ControllerId}")
            .Append(CultureInfo.InvariantCulture, $" -p {_options.PollDelaySeconds} -r {_options.DownloadRetries} -w {_options.DownloadRetryWaitSeconds}");
        if (_options.TargetToken is { } targetToken)
        {
            suricatta.Append(CultureInfo.InvariantCulture, $" -k {targetToken}");
        }

        if (_options.GatewayToken is { } gatewayToken)
        {
            suricatta.Append(CultureInfo.InvariantCulture, $" -g {gatewayToken}");
        }

        if (confirmation is { } confirm)
        {
            suricatta.Append(CultureInfo.InvariantCulture, $" -c {ConfirmValue(confirm)}");
        }

        arguments.Add("-u");
        arguments.Add(suricatta.ToString());
        return arguments;
    }

    /// <summary>SWUpdate reads identify attributes only from a config file, which must also have a globals section.</summary>
    private string WriteIdentifyConfig(IReadOnlyDictionary<string, string> identify)
    {
        var path = Path.Combine(_options.WorkDirectory, $"swupdate-{_options.ControllerId}.cfg");
        var text = new StringBuilder("globals :\n{\n};\nidentify : (\n");
        text.AppendJoin(",\n", identify.Select(kv => $"\t{{ name = \"{kv.Key}\"; value = \"{kv.Value}\"; }}"));
        text.Append("\n);\n");
        File.WriteAllText(path, text.ToString());
        return path;
    }

    private static int ConfirmValue(SwupdateConfirmation confirmation) => confirmation switch
    {
        SwupdateConfirmation.Again => 1,
        SwupdateConfirmation.Success => 2,
        SwupdateConfirmation.Failed => 3,
        _ => throw new ArgumentOutOfRangeException(nameof(confirmation), confirmation, null),
    };
}
