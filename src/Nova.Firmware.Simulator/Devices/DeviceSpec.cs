namespace Nova.Firmware.Simulator.Devices;

/// <summary>
/// Everything that makes one simulated device what it is: identity, hardware, and every duration
/// (in simulated seconds, so a fleet file stays readable). Settable so a fleet file can fill it.
/// </summary>
public sealed class DeviceSpec
{
    public string Id { get; set; } = "dev-0001";
    public DeviceKind Kind { get; set; } = DeviceKind.Gateway;
    public string Vendor { get; set; } = "Nova";
    public string Model { get; set; } = "GW-100";
    public string HwRevision { get; set; } = "1.0";
    public string Soc { get; set; } = "aarch64";
    public string? Serial { get; set; }
    public string FirmwareVersion { get; set; } = "1.0.0";
    /// <summary>The device's own IPv4 address; recovery asks for its hex form (C0A80028.img) by default.</summary>
    public string IpAddress { get; set; } = "192.168.0.40";

    public FlashLayout Layout { get; set; } = FlashLayout.AB;
    public int BootLimit { get; set; } = 3;
    public bool HasRecoveryPartition { get; set; } = true;
    public bool HasSdSlot { get; set; } = true;
    /// <summary>After a boot loop, re-write the slot from the staged image (the article's "wait 10 minutes").</summary>
    public bool RetryFromStagedImage { get; set; }

    public long StorageCapacityBytes { get; set; } = 64L * 1024 * 1024;
    public List<StorageItemSpec> StorageItems { get; set; } = [];

    /// <summary>PoE switch id; null means a DC feed.</summary>
    public string? PoeSwitch { get; set; }
    public int PoePort { get; set; }
    public double IdleWatts { get; set; } = 4;
    public double BootWatts { get; set; } = 6;
    public double WriteWatts { get; set; } = 9;

    public long BandwidthBytesPerSecond { get; set; } = 10L * 1024 * 1024;
    public double LatencyMilliseconds { get; set; } = 20;

    /// <summary>Checks the image hash and hardware compatibility before writing (a careless UI does not).</summary>
    public bool VerifiesImage { get; set; } = true;
    public bool AcceptsWrongHardware { get; set; }

    public double BootSeconds { get; set; } = 30;
    public double FlashWriteSeconds { get; set; } = 60;
    public double StagedRetryDelaySeconds { get; set; } = 600;
    public double PowerRestoreSeconds { get; set; } = 5;
    public double RecoveryRetrySeconds { get; set; } = 30;
    public double PollJitterSeconds { get; set; } = 5;

    /// <summary>hawkBit target token (Authorization: TargetToken ...); null means <see cref="DefaultDdiToken"/>.</summary>
    public string? DdiToken { get; set; }

    /// <summary>The token the device sends: <see cref="DdiToken"/>, else one derived from the id.</summary>
    public string EffectiveDdiToken => DdiToken ?? DefaultDdiToken(Id);

    /// <summary>
    /// <c>{id}-sim-target-token</c>: derived, so whoever enrols a fleet file's devices knows each
    /// token without the file listing them, and never shorter than the server's 16-character minimum
    /// (the bare id was, so no simulated gateway could authenticate with defaults).
    /// </summary>
    public static string DefaultDdiToken(string id) => id + "-sim-target-token";
    public string OnvifUsername { get; set; } = "admin";
    public string OnvifPassword { get; set; } = "admin";

    /// <summary>TFTP server (host:port) recovery pulls from; null means none configured.</summary>
    public string? TftpServer { get; set; }
    /// <summary>Recovery file name; null means U-Boot's default, the device's IPv4 in hex plus ".img".</summary>
    public string? RecoveryFileName { get; set; }

    public DeviceSpec Clone()
    {
        var copy = (DeviceSpec)MemberwiseClone();
        copy.StorageItems = [.. StorageItems.Select(item => item with { })];
        return copy;
    }
}

public sealed record StorageItemSpec
{
    public string Name { get; set; } = "";
    public StorageItemKind Kind { get; set; }
    public long SizeBytes { get; set; }
}
