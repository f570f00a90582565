using System.Diagnostics;
using System.Net;

namespace Nova.Firmware.Protocols.Tests.Infrastructure;

/// <summary>
/// Debian's atftpd serving one directory on 127.0.0.1 and a free port. Started as root it drops
/// to nobody.nogroup, so the directory must be world-readable (see <see cref="TempDirectory"/>).
/// </summary>
public sealed class AtftpdProcess : IAsyncDisposable
{
    private readonly Process _process;

    private AtftpdProcess(Process process, int port)
    {
        _process = process;
        EndPoint = new IPEndPoint(IPAddress.Loopback, port);
    }

    public IPEndPoint EndPoint { get; }

    public static async Task<AtftpdProcess> StartAsync(string directory, params string[] extraArguments)
    {
        var port = FreePort.Udp();
        var info = new ProcessStartInfo("atftpd")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] arguments = ["--daemon", "--no-fork", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--bind-address", "127.0.0.1", "--user", "nobody.nogroup", "--logfile", "-", .. extraArguments, directory];
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start atftpd.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        for (var i = 0; i < 100 && !FreePort.IsUdpBound(port); i++)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"atftpd exited with {process.ExitCode} before binding port {port}.");
            }

            await Task.Delay(50);
        }

        return new AtftpdProcess(process, port);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
