using Nova.Firmware.Simulator.Devices;
using Nova.Firmware.Simulator.Faces.Ddi;

namespace Nova.Firmware.Simulator.Fleet;

/// <summary>
/// A fleet file: clock scale, where agents poll, PoE switches, single devices and groups of
/// identical devices (a template repeated <c>count</c> times). See docs/simulator.md.
/// </summary>
public sealed class FleetDefinition
{
    /// <summary>Simulated seconds per real second (600: the article's 10 minutes take one second).</summary>
    public double TimeScale { get; set; } = 1;
    public DdiAgentOptions Ddi { get; set; } = new();
    /// <summary>Default TFTP server (host:port) for devices that do not name one.</summary>
    public string? TftpServer { get; set; }
    public List<PoeSwitchSpec> Switches { get; set; } = [];
    public List<DeviceSpec> Devices { get; set; } = [];
    public List<DeviceGroup> Groups { get; set; } = [];

    /// <summary>Every device, groups expanded: ids prefix-00001…, IPs and PoE ports handed out in order.</summary>
    public IEnumerable<DeviceSpec> ExpandDevices()
    {
        var ports = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var original in Devices.Concat(Groups.SelectMany(ExpandGroup)))
        {
            // Expanding twice must give the same fleet: never change the definition itself.
            var spec = original.Clone();
            if (spec.PoeSwitch is { } poe)
            {
                spec.PoePort = spec.PoePort == 0 ? ports.GetValueOrDefault(poe) + 1 : spec.PoePort;
                ports[poe] = Math.Max(ports.GetValueOrDefault(poe), spec.PoePort);
            }
            spec.TftpServer ??= TftpServer;
            yield return spec;
        }

        IEnumerable<DeviceSpec> ExpandGroup(DeviceGroup group)
        {
            var width = Math.Max(5, group.Count.ToString(System.Globalization.CultureInfo.InvariantCulture).Length);
            for (var i = 1; i <= group.Count; i++)
            {
                var spec = group.Template.Clone();
                spec.Id = $"{group.IdPrefix}{i.ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(width, '0')}";
                spec.Serial = spec.Serial is null ? null : $"{spec.Serial}{i}";
                var host = group.FirstHost + i - 1;
                spec.IpAddress = $"{group.Subnet}.{(host >> 16) & 0xFF}.{(host >> 8) & 0xFF}.{host & 0xFF}";
                yield return spec;
            }
        }
    }
}

/// <summary><c>count</c> devices made from one template.</summary>
public sealed class DeviceGroup
{
    public int Count { get; set; } = 1;
    public string IdPrefix { get; set; } = "dev-";
    /// <summary>First octet of the group's addresses (10 gives 10.0.0.1, 10.0.0.2, …).</summary>
    public int Subnet { get; set; } = 10;
    public int FirstHost { get; set; } = 1;
    public DeviceSpec Template { get; set; } = new();
}
