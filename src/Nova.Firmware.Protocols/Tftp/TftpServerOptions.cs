using System.Net;

namespace Nova.Firmware.Protocols.Tftp;

/// <summary>Settings of the built-in TFTP server (bind from configuration section "Tftp").</summary>
public sealed class TftpServerOptions
{
    public bool Enabled { get; set; }

    /// <summary>IPv4 address to listen on.</summary>
    public string Address { get; set; } = "127.0.0.1";

    /// <summary>UDP port; 69 is the standard one, 0 picks a free port (see <see cref="TftpServer.LocalEndPoint"/>).</summary>
    public int Port { get; set; } = 69;

    /// <summary>Directory served by <see cref="DirectoryTftpFileProvider"/>.</summary>
    public string Root { get; set; } = "tftp";

    /// <summary>Retransmission timeout when the client sends no <c>timeout</c> option.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Retransmissions of one window before the transfer is given up.</summary>
    public int MaxRetries { get; set; } = 5;

    /// <summary>Upper bound for a client's <c>blksize</c>.</summary>
    public int MaxBlockSize { get; set; } = TftpPacketCodec.MaxBlockSize;

    /// <summary>Upper bound for a client's <c>windowsize</c>; a window is kept in memory for resends.</summary>
    public int MaxWindowSize { get; set; } = 64;

    /// <summary>
    /// Transfers served at once, each on its own thread; a request past it gets ERROR 0 (server
    /// busy) and the client may retry. Bounds threads and memory (a window of blocks each).
    /// </summary>
    public int MaxConcurrentTransfers { get; set; } = 64;

    /// <summary>False answers as a plain RFC 1350 server that ignores every option.</summary>
    public bool NegotiateOptions { get; set; } = true;

    public IPEndPoint GetEndPoint() => new(IPAddress.Parse(Address), Port);

    /// <summary>Throws with a clear message for settings the server cannot run with.</summary>
    public void Validate()
    {
        if (!IPAddress.TryParse(Address, out var address) || address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
        {
            throw new ArgumentException($"Tftp:Address '{Address}' is not an IPv4 address.");
        }

        if (Port is < 0 or > 65535)
        {
            throw new ArgumentException($"Tftp:Port {Port} is outside 0–65535.");
        }

        if (Timeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"Tftp:Timeout {Timeout} must be positive.");
        }

        if (MaxRetries < 0)
        {
            throw new ArgumentException($"Tftp:MaxRetries {MaxRetries} must not be negative.");
        }

        if (MaxBlockSize is < TftpPacketCodec.MinBlockSize or > TftpPacketCodec.MaxBlockSize)
        {
            throw new ArgumentException($"Tftp:MaxBlockSize {MaxBlockSize} is outside {TftpPacketCodec.MinBlockSize}–{TftpPacketCodec.MaxBlockSize}.");
        }

        if (MaxWindowSize is < 1 or > 65535)
        {
            throw new ArgumentException($"Tftp:MaxWindowSize {MaxWindowSize} is outside 1–65535.");
        }

        if (MaxConcurrentTransfers is < 1 or > 10_000)
        {
            throw new ArgumentException($"Tftp:MaxConcurrentTransfers {MaxConcurrentTransfers} is outside 1–10000.");
        }
    }
}
