using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Nova.Firmware.Simulator.Tests.Infrastructure;

/// <summary>Debian's atftpd (a real TFTP server) on 127.0.0.1 and a free port, serving a temp directory.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class AtftpdServer : IDisposable
{
    private readonly Process _process;

    private AtftpdServer(Process process, string root, int port)
    {
        _process = process;
        Root = root;
        Port = port;
    }

    public string Root { get; }
    public int Port { get; }
    public string Endpoint => $"127.0.0.1:{Port}";

    public static AtftpdServer Start()
    {
        var root = Directory.CreateTempSubdirectory("nova-sim-tftp-").FullName;
        File.SetUnixFileMode(root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        int port;
        using (var probe = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0)))
        {
            port = ((IPEndPoint)probe.Client.LocalEndPoint!).Port;
        }
        var start = new ProcessStartInfo("atftpd")
        {
            ArgumentList = { "--daemon", "--no-fork", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind-address", "127.0.0.1", "--user", "nobody.nogroup", "--logfile", "/dev/null", root },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("atftpd did not start.");
        return new AtftpdServer(process, root, port);
    }

    public void Serve(string fileName, byte[] content)
    {
        var path = Path.Combine(Root, fileName);
        File.WriteAllBytes(path, content);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit(5000);
        }
        _process.Dispose();
        Directory.Delete(Root, recursive: true);
    }
}
