using System.CommandLine;
using System.Text.Json;
using Nova.Firmware.Cli.Output;

namespace Nova.Firmware.Cli.Commands;

/// <summary><c>novafw discover</c>: ONVIF WS-Discovery from the server's networks, and optionally import what answered.</summary>
public static class DiscoverCommand
{
    public static Command Create(CommandSet set)
    {
        var unicast = new Option<string[]>("--unicast") { Description = "IPv4 address[:port] to probe directly; repeat for several", AllowMultipleArgumentsPerToken = true };
        var noMulticast = new Option<bool>("--no-multicast") { Description = "Probe only the --unicast addresses" };
        var timeout = new Option<int?>("--timeout") { Description = "Seconds to collect answers, 1-30 (default 3)" };
        var site = new Option<string?>("--site") { Description = "Site whose credentials identify the cameras; imported cameras join it" };
        var noIdentify = new Option<bool>("--no-identify") { Description = "Do not ask cameras who they are" };
        var import = new Option<bool>("--import") { Description = "Add every camera found that is not in the inventory yet" };
        var command = new Command("discover", "Find ONVIF cameras with WS-Discovery (sent by the server), optionally importing them.")
        {
            unicast, noMulticast, timeout, site, noIdentify, import,
        };
        set.Action(command, async (inv, ct) =>
        {
            var probe = new Dictionary<string, object?>
            {
                ["unicast"] = inv.Get(unicast) ?? [], ["multicast"] = !inv.Get(noMulticast), ["timeoutSeconds"] = inv.Get(timeout),
                ["site"] = inv.Get(site), ["identify"] = !inv.Get(noIdentify),
            };
            var found = await inv.Api.PostAsync("api/v1/discovery/onvif", probe, ct);
            var devices = found.TryGetProperty("devices", out var d) ? d.EnumerateArray().ToList() : [];
            JsonElement? imported = null;
            if (inv.Get(import))
            {
                var fresh = devices.Where(c => c.S("alreadyInInventory") is null && c.TryGetProperty("xAddrs", out var x) && x.GetArrayLength() > 0)
                    .Select(c => new { xAddr = c.GetProperty("xAddrs")[0].GetString() }).ToList();
                if (fresh.Count > 0)
                {
                    imported = await inv.Api.PostAsync("api/v1/discovery/onvif/import", new { site = inv.Get(site), devices = fresh }, ct);
                }
            }
            if (inv.Json)
            {
                inv.Out.PrintJson(imported is { } i ? JsonSerializer.SerializeToElement(new { found, imported = i }) : found);
                return ExitCodes.Ok;
            }
            inv.Out.Table(devices, ("ADDRESS", c => c.S("xAddrs")), ("MANUFACTURER", c => c.S("manufacturer")), ("MODEL", c => c.S("model")),
                ("FIRMWARE", c => c.S("firmwareVersion")), ("SERIAL", c => c.S("serialNumber")), ("IN INVENTORY", c => c.S("alreadyInInventory") ?? "no"),
                ("IDENTIFY ERROR", c => c.S("identifyError")));
            inv.Out.Line($"{devices.Count} camera(s) answered.");
            if (imported is { } result)
            {
                inv.Out.Line($"Imported {result.GetProperty("imported").GetArrayLength()} camera(s).");
            }
            return ExitCodes.Ok;
        });
        return command;
    }
}
