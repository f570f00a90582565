using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Nova.Firmware.EndToEnd.Tests.Nova;

/// <summary>
/// The Nova server as a real operating-system process (the build's Nova.Firmware.Server.dll), so
/// a test can kill it with SIGKILL and start it again on the same data directory.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Dictionary<string, string> _environment;
    private Process? _process;

    /// <param name="name">Names the log file, so that replicas sharing a data directory keep apart logs.</param>
    public ServerProcess(string dataDirectory, IReadOnlyDictionary<string, string> settings, string name = "server")
    {
        DataDirectory = dataDirectory;
        LogPath = Path.Combine(dataDirectory, name + ".log");
        Port = FreePort();
        _environment = new Dictionary<string, string>
        {
            ["Nova__DataDirectory"] = dataDirectory,
            ["Nova__AdminPassword"] = global::Nova.Firmware.Server.Tests.Infrastructure.NovaServer.AdminPassword,
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__Nova.Firmware.Engine.Jobs.DeviceJobStepper"] = "Information",
        };
        foreach (var (key, value) in settings)
        {
            _environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }
    }

    public string DataDirectory { get; }
    public int Port { get; }
    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");
    public string LogPath { get; }

    public async Task StartAsync()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Nova.Firmware.Server.dll");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(dll);
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add(BaseAddress.ToString().TrimEnd('/'));
        foreach (var (key, value) in _environment)
        {
            info.Environment[key] = value;
        }
        var log = new StreamWriter(LogPath, append: true) { AutoFlush = true };
        _process = Process.Start(info) ?? throw new InvalidOperationException("Could not start the server process.");
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (log) { log.WriteLine(e.Data); } } };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (log) { log.WriteLine(e.Data); } } };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        using var http = new HttpClient();
        // Generous: a restart under load (a fleet of simulated devices on the same two cores) is slow.
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(120);
        while (DateTime.UtcNow < until)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The server exited with {_process.ExitCode}; see {LogPath}:\n{await File.ReadAllTextAsync(LogPath)}");
            }
            try
            {
                if ((await http.GetAsync(new Uri(BaseAddress, "/healthz"))).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            await Task.Delay(200);
        }
        var tail = string.Join('\n', (await ReadLogAsync()).Split('\n').TakeLast(40));
        throw new TimeoutException($"The server did not become healthy within 120 s; the end of its log:\n{tail}");
    }

    /// <summary>How many times <paramref name="line"/> matches in the process's log so far (all its lives).</summary>
    public int CountInLog(System.Text.RegularExpressions.Regex line)
    {
        using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return line.Matches(reader.ReadToEnd()).Count;
    }

    private async Task<string> ReadLogAsync()
    {
        await using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
    }

    /// <summary>SIGKILL: no shutdown hooks, no flush, exactly like a crash or a pulled plug.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } p)
        {
            p.Kill(entireProcessTree: true);
            await p.WaitForExitAsync();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Kills the server and removes its data directory (the test's own temporary folder).</summary>
    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // a file still held by the dying process; the temp folder is cleaned by the OS
        }
    }
}
