using Microsoft.Extensions.Configuration;
using Nova.Firmware.Simulator.Devices;
using Nova.Firmware.Simulator.Fleet;

namespace Nova.Firmware.Simulator.Tests.Fleet;

public sealed class FleetLoaderTests
{
    private static string DemoFleetPath() =>
        Path.Combine(AppContext.BaseDirectory, "fleets", "demo.yaml");

    [Fact]
    public void Load_DemoYaml_ExpandsGroupsWithIdsPortsAndAddresses()
    {
        var fleet = FleetLoader.Load(DemoFleetPath());
        var devices = fleet.ExpandDevices().ToList();

        Assert.Equal(60, fleet.TimeScale);
        Assert.Equal(new Uri("http://127.0.0.1:5080/"), fleet.Ddi.ServerUrl);
        Assert.Equal(58, devices.Count);
        var careless = devices.Single(d => d.Id == "gw-careless");
        Assert.False(careless.VerifiesImage);
        Assert.True(careless.AcceptsWrongHardware);
        Assert.Equal(1, careless.PoePort);
        var lobby = devices.Single(d => d.Id == "gw-lobby-00002");
        Assert.Equal(FlashLayout.SingleWithRecovery, lobby.Layout);
        Assert.Equal(3, lobby.PoePort);
        Assert.Equal("10.0.0.2", lobby.IpAddress);
        Assert.Equal("127.0.0.1:6969", lobby.TftpServer);
        Assert.Equal(StorageItemKind.FirmwareBackup, lobby.StorageItems[1].Kind);
        Assert.Equal("172.0.0.4", devices.Single(d => d.Id == "cam-a-00004").IpAddress);
        Assert.Equal(DeviceKind.Camera, devices.Single(d => d.Id == "cam-a-00004").Kind);
    }

    /// <summary>The server's rules the demo fleet must meet with its defaults (issue: the first hour went wrong).</summary>
    [Fact]
    public void Load_DemoYaml_DefaultsMeetTheServersRules()
    {
        const long ServerSpaceMarginBytes = 8L << 20;
        var fleet = FleetLoader.Load(DemoFleetPath());
        var devices = fleet.ExpandDevices().ToList();

        // DDI tokens: the server refuses tokens shorter than 16 characters.
        Assert.All(devices.Where(d => d.Kind == DeviceKind.Gateway), d => Assert.True(d.EffectiveDdiToken.Length >= 16, d.Id));
        // Power-on: every device on a switch boots at once and must not brown it out.
        foreach (var poe in fleet.Switches)
        {
            var booting = devices.Where(d => d.PoeSwitch == poe.Id).Sum(d => d.BootWatts);
            Assert.True(booting <= poe.BudgetWatts, $"{poe.Id}: {booting} W at power-on on a {poe.BudgetWatts} W budget");
        }
        // Space: all but the one gateway that is full on purpose have room for an image beside the margin.
        Assert.All(devices.Where(d => d.Id != "gw-full"), d =>
            Assert.True(d.StorageCapacityBytes - d.StorageItems.Sum(i => i.SizeBytes) >= ServerSpaceMarginBytes + (1L << 20), d.Id));
        // Three models, two hardware revisions each.
        Assert.Equal(["CAM-7", "GW-100", "GW-200"], devices.Select(d => d.Model).Distinct().Order());
        Assert.Equal(["1.0", "2.0", "2.1"], devices.Select(d => d.HwRevision).Distinct().Order());
    }

    [Fact]
    public void ParseJson_SameFleetAsJson_ReadsEnumsAsKebabWords()
    {
        var fleet = FleetLoader.ParseJson("""
            { "timeScale": 600, "devices": [ { "id": "gw-1", "kind": "gateway", "layout": "single-with-recovery", "bootLimit": 5 } ],
              "groups": [ { "count": 3, "idPrefix": "cam-", "template": { "kind": "camera" } } ] }
            """);
        var devices = fleet.ExpandDevices().ToList();

        Assert.Equal(4, devices.Count);
        Assert.Equal(FlashLayout.SingleWithRecovery, devices[0].Layout);
        Assert.Equal(5, devices[0].BootLimit);
        Assert.Equal("cam-00003", devices[3].Id);
    }

    [Theory]
    [InlineData("""{ "timeScale": 0, "devices": [ { "id": "a" } ] }""", "timeScale")]
    [InlineData("""{ "devices": [ { "id": "a" }, { "id": "a" } ] }""", "appears twice")]
    [InlineData("""{ "devices": [ { "id": "a", "kind": "toaster" } ] }""", "not valid")]
    [InlineData("""{ "devices": [ { "id": "a", "bootLimt": 3 } ] }""", "bootLimt")]
    [InlineData("""{ }""", "no devices")]
    public void ParseJson_BadFleet_ClearError(string json, string expected)
    {
        var error = Assert.Throws<FleetFileException>(() => FleetLoader.ParseJson(json));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseYaml_UnknownEnumWord_ClearErrorWithLine()
    {
        var error = Assert.Throws<FleetFileException>(() => FleetLoader.ParseYaml("devices:\n  - id: a\n    layout: triple\n"));
        Assert.Contains("triple", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BuildFleet_FlagsOnly_AddsDevicesAndOverridesServer()
    {
        var config = new ConfigurationBuilder()
            .AddCommandLine(["--devices", "25", "--kind", "camera", "--ddi-url", "http://127.0.0.1:9/", "--time-scale", "120"], CommandLine.SwitchMappings)
            .Build();

        var fleet = CommandLine.BuildFleet(config);

        Assert.Equal(25, fleet.ExpandDevices().Count());
        Assert.All(fleet.ExpandDevices(), d => Assert.Equal(DeviceKind.Camera, d.Kind));
        Assert.Equal(120, fleet.TimeScale);
        Assert.Equal("http://127.0.0.1:9/", fleet.Ddi.ServerUrl!.ToString());
    }
}
