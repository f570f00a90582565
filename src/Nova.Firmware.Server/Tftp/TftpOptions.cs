using Nova.Firmware.Protocols.Tftp;

namespace Nova.Firmware.Server.Tftp;

/// <summary>
/// The "Nova:Tftp" section: the read-only TFTP server devices in recovery pull their stock image
/// from. Off unless enabled, because TFTP has no authentication and several servers on one host
/// (replicas, test servers) would fight over one port.
/// </summary>
public sealed class TftpOptions
{
    public const string Section = "Nova:Tftp";

    public bool Enabled { get; set; }

    /// <summary>UDP port. 6969 runs unprivileged; 69 needs cap_net_bind_service or a redirect. 0: any free port (tests).</summary>
    public int Port { get; set; } = 6969;

    /// <summary>IPv4 address to listen on: all interfaces by default, since devices in recovery sit on the camera network.</summary>
    public string BindAddress { get; set; } = "0.0.0.0";

    /// <summary>Retransmission timeout when the client sends no <c>timeout</c> option.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Retransmissions of one window before a transfer is given up.</summary>
    public int MaxRetries { get; set; } = 5;

    /// <summary>Upper bound for a client's <c>blksize</c>.</summary>
    public int MaxBlockSize { get; set; } = TftpPacketCodec.MaxBlockSize;

    /// <summary>Upper bound for a client's <c>windowsize</c>; a window is held in memory per transfer for resends.</summary>
    public int MaxWindowSize { get; set; } = 64;

    /// <summary>
    /// Transfers served at once, each on its own thread; a request past it gets TFTP ERROR 0
    /// ("server busy") and the device retries. Bounds threads and memory under a request flood.
    /// </summary>
    public int MaxConcurrentTransfers { get; set; } = 64;

    public TftpServerOptions ToServerOptions() => new()
    {
        Enabled = Enabled,
        Address = BindAddress,
        Port = Port,
        Timeout = Timeout,
        MaxRetries = MaxRetries,
        MaxBlockSize = MaxBlockSize,
        MaxWindowSize = MaxWindowSize,
        MaxConcurrentTransfers = MaxConcurrentTransfers,
    };
}
