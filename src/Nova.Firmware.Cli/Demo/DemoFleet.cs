extern alias simulator;

using System.Globalization;
using System.Text;
using simulator::Nova.Firmware.Simulator;
using simulator::Nova.Firmware.Simulator.Devices;
using simulator::Nova.Firmware.Simulator.Faults;
using simulator::Nova.Firmware.Simulator.Fleet;

namespace Nova.Firmware.Cli.Demo;

/// <summary>The demo fleet (the simulator's demo.yaml, embedded) and its inventory as the CSV an installer would import.</summary>
public static class DemoFleet
{
    public const string Site = "demo";

    /// <summary>The gateway whose first download arrives damaged: its flash fails and the recovery ladder repairs it.</summary>
    public const string DamagedDownload = "gw-yard-00007";

    /// <summary>
    /// Faults armed at start, beside the ones the fleet file describes (gw-careless, gw-full): two
    /// gateways lose their connection halfway through the download once and resume with a Range
    /// request, as SWUpdate does; one receives a download with flipped bytes, refuses it on its hash,
    /// and the recovery ladder's retry (a fresh download) brings it to the new version.
    /// </summary>
    private static readonly (string Id, FaultRequest Fault)[] Faults =
    [
        ("gw-yard-00002", new FaultRequest(FaultKind.ConnectionDrop, Percent: 50, Count: 1)),
        ("gw-edge-00003", new FaultRequest(FaultKind.ConnectionDrop, Percent: 50, Count: 1)),
        (DamagedDownload, new FaultRequest(FaultKind.CorruptBytes, Count: 3)),
    ];

    /// <summary>Arms <see cref="Faults"/> on the devices of them the fleet has; returns their ids.</summary>
    public static IReadOnlyList<string> ArmFaults(Simulation simulation)
    {
        var armed = new List<string>();
        foreach (var (id, fault) in Faults.Where(f => simulation.Find(f.Id) is not null))
        {
            simulation.InjectFault(id, fault);
            armed.Add(id);
        }
        return armed;
    }

    public static FleetDefinition Load(string? path)
    {
        if (path is not null)
        {
            return FleetLoader.Load(Path.GetFullPath(path));
        }
        using var stream = typeof(DemoFleet).Assembly.GetManifestResourceStream("demo.yaml")
            ?? throw new InvalidOperationException("demo.yaml is not embedded in novafw.");
        using var reader = new StreamReader(stream);
        return FleetLoader.ParseYaml(reader.ReadToEnd());
    }

    /// <summary>
    /// One CSV row per device (docs/api.md#csv-import): gateways speak DDI, cameras ONVIF at their
    /// device service on the simulator's listener; power feeds and capabilities as the fleet has them.
    /// </summary>
    public static string InventoryCsv(IEnumerable<DeviceSpec> devices, Uri simulator)
    {
        var csv = new StringBuilder("controllerId,vendor,model,hardwareRevision,soc,serial,kind,protocol,site,tags,address,switchId,port,activeVersion,abSlots,recoveryPartition,sdSlot\n");
        foreach (var d in devices)
        {
            var camera = d.Kind == DeviceKind.Camera;
            var address = camera ? new Uri(simulator, $"onvif/{d.Id}/device_service").ToString() : "";
            csv.AppendJoin(',', [
                d.Id, d.Vendor, d.Model, d.HwRevision, d.Soc, d.Serial ?? d.Id, camera ? "camera" : "gateway", camera ? "onvif" : "ddi", Site,
                camera ? "camera" : "gateway", address, d.PoeSwitch ?? "", d.PoeSwitch is null ? "" : d.PoePort.ToString(CultureInfo.InvariantCulture),
                d.FirmwareVersion, d.Layout == FlashLayout.AB ? "true" : "false", d.HasRecoveryPartition ? "true" : "false", d.HasSdSlot ? "true" : "false",
            ]).Append('\n');
        }
        return csv.ToString();
    }
}
