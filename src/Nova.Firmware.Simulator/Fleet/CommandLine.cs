using System.Globalization;
using Nova.Firmware.Simulator.Devices;

namespace Nova.Firmware.Simulator.Fleet;

/// <summary>
/// Builds the fleet from <c>--fleet FILE</c> and/or flags: <c>--devices N</c> adds N devices of
/// <c>--kind</c>; <c>--ddi-url</c>, <c>--tenant</c>, <c>--time-scale</c>, <c>--tftp-server</c> override the file.
/// </summary>
public static class CommandLine
{
    public static readonly Dictionary<string, string> SwitchMappings = new(StringComparer.Ordinal)
    {
        ["--fleet"] = "Simulator:Fleet",
        ["--devices"] = "Simulator:Devices",
        ["--kind"] = "Simulator:Kind",
        ["--ddi-url"] = "Simulator:DdiUrl",
        ["--tenant"] = "Simulator:Tenant",
        ["--time-scale"] = "Simulator:TimeScale",
        ["--tftp-server"] = "Simulator:TftpServer",
        ["--poll"] = "Simulator:Poll",
    };

    public static FleetDefinition BuildFleet(IConfiguration config)
    {
        var section = config.GetSection("Simulator");
        var fleet = section["Fleet"] is { Length: > 0 } path ? FleetLoader.Load(path) : new FleetDefinition();
        if (section["Devices"] is { } countText)
        {
            var count = int.Parse(countText, CultureInfo.InvariantCulture);
            var kind = section["Kind"] is { } k ? Enum.Parse<DeviceKind>(k, ignoreCase: true) : DeviceKind.Gateway;
            fleet.Groups.Add(new DeviceGroup
            {
                Count = count,
                IdPrefix = kind == DeviceKind.Camera ? "cam-" : "gw-",
                Template = new DeviceSpec { Kind = kind, Model = kind == DeviceKind.Camera ? "CAM-7" : "GW-100" },
            });
        }
        if (section["DdiUrl"] is { } url)
        {
            fleet.Ddi.ServerUrl = new Uri(url.EndsWith('/') ? url : url + "/");
        }
        if (section["Poll"] is "false" or "off")
        {
            fleet.Ddi.ServerUrl = null;
        }
        fleet.Ddi.Tenant = section["Tenant"] ?? fleet.Ddi.Tenant;
        if (section["TimeScale"] is { } scale)
        {
            fleet.TimeScale = double.Parse(scale, CultureInfo.InvariantCulture);
        }
        fleet.TftpServer = section["TftpServer"] ?? fleet.TftpServer;
        if (fleet.Devices.Count == 0 && fleet.Groups.Count == 0)
        {
            throw new FleetFileException("No devices: give --fleet FILE and/or --devices N.");
        }
        return fleet;
    }
}
