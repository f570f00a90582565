using Microsoft.Extensions.Logging.Abstractions;
using Nova.Firmware.Protocols.Tftp;

// Usage: TftpBenchServer <root> <port>. Serves <root> on 127.0.0.1:<port> until stdin closes or Ctrl+C.
if (args.Length != 2 || !int.TryParse(args[1], out var port))
{
    Console.Error.WriteLine("usage: TftpBenchServer <root> <port>");
    return 2;
}

var options = new TftpServerOptions { Enabled = true, Address = "127.0.0.1", Port = port, Root = args[0] };
await using var server = new TftpServer(options, new DirectoryTftpFileProvider(options.Root), NullLogger<TftpServer>.Instance);
server.Start();
Console.WriteLine($"listening on {server.LocalEndPoint}");

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.Cancel();
try
{
    await Task.Delay(Timeout.Infinite, stop.Token);
}
catch (OperationCanceledException)
{
}

return 0;
