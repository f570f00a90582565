using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Nova.Firmware.Protocols.Tftp;

namespace Nova.Firmware.Protocols.Tests.Infrastructure;

/// <summary>Our TFTP server on 127.0.0.1 and a free port, serving a temp directory.</summary>
public sealed class TestServer : IAsyncDisposable
{
    private TestServer(TftpServer server, RecordingObserver observer)
    {
        Server = server;
        Observer = observer;
    }

    public TftpServer Server { get; }

    public RecordingObserver Observer { get; }

    public IPEndPoint EndPoint => Server.LocalEndPoint;

    public int Port => EndPoint.Port;

    public static TestServer Start(
        string root, Action<TftpServerOptions>? configure = null, TimeProvider? time = null, ITftpFileProvider? files = null)
    {
        var options = new TftpServerOptions { Enabled = true, Address = "127.0.0.1", Port = 0, Root = root };
        configure?.Invoke(options);
        var observer = new RecordingObserver();
        var server = new TftpServer(options, files ?? new DirectoryTftpFileProvider(root), NullLogger<TftpServer>.Instance, time, observer);
        server.Start();
        return new TestServer(server, observer);
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
