using System.CommandLine;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Nova.Firmware.Cli.Output;

namespace Nova.Firmware.Cli.Commands;

/// <summary><c>novafw devices list|show|import|enrol|timeline</c>.</summary>
public static class DeviceCommands
{
    public static Command Create(CommandSet set)
    {
        var devices = new Command("devices", "The device inventory.");
        devices.Subcommands.Add(List(set));
        devices.Subcommands.Add(Show(set));
        devices.Subcommands.Add(Import(set));
        devices.Subcommands.Add(Enrol(set));
        devices.Subcommands.Add(Timeline(set));
        return devices;
    }

    private static Command List(CommandSet set)
    {
        var model = new Option<string?>("--model") { Description = "Exact model" };
        var vendor = new Option<string?>("--vendor") { Description = "Exact vendor" };
        var site = new Option<string?>("--site") { Description = "Exact site" };
        var tag = new Option<string?>("--tag") { Description = "Devices with this tag" };
        var kind = new Option<string?>("--kind") { Description = "camera, nvr or gateway" };
        kind.AcceptOnlyFromAmong("camera", "nvr", "gateway");
        var health = new Option<string?>("--health") { Description = "unknown, healthy, degraded or offline" };
        health.AcceptOnlyFromAmong("unknown", "healthy", "degraded", "offline");
        var search = new Option<string?>("--search", "-q") { Description = "Substring of controllerId, serial, model, name or address" };
        var paging = new Paging();
        var command = new Command("list", "List devices (filters combine with AND).") { model, vendor, site, tag, kind, health, search, paging.Page, paging.PageSize };
        set.Action(command, async (inv, ct) =>
        {
            var page = await inv.Api.GetAsync(paging.Path(inv, "api/v1/devices",
                ("model", inv.Get(model)), ("vendor", inv.Get(vendor)), ("site", inv.Get(site)), ("tag", inv.Get(tag)), ("kind", inv.Get(kind)),
                ("health", inv.Get(health)), ("q", inv.Get(search))), ct);
            if (inv.Json)
            {
                inv.Out.PrintJson(page);
                return ExitCodes.Ok;
            }
            inv.Out.Table(page.Items(),
                ("CONTROLLER ID", d => d.S("controllerId")), ("KIND", d => d.S("kind")), ("VENDOR", d => d.S("vendor")), ("MODEL", d => d.S("model")),
                ("REV", d => d.S("hardwareRevision")), ("VERSION", d => d.S("firmware", "activeVersion")), ("HEALTH", d => d.S("health", "status")),
                ("SITE", d => d.S("site")), ("ID", d => d.S("id")));
            Paging.Footer(inv, page);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Show(CommandSet set)
    {
        var device = DeviceRef.Argument();
        var command = new Command("show", "Show one device.") { device };
        set.Action(command, async (inv, ct) =>
        {
            var id = await DeviceRef.ResolveAsync(inv, inv.Get(device), ct);
            var d = await inv.Api.GetAsync($"api/v1/devices/{id}", ct);
            if (inv.Json)
            {
                inv.Out.PrintJson(d);
                return ExitCodes.Ok;
            }
            inv.Out.Fields(
                ("id", d.S("id")), ("controller id", d.S("controllerId")), ("name", d.S("name")), ("kind", d.S("kind")), ("protocol", d.S("protocol")),
                ("vendor", d.S("vendor")), ("model", d.S("model")), ("hardware revision", d.S("hardwareRevision")), ("soc", d.S("soc")), ("serial", d.S("serial")),
                ("site", d.S("site")), ("tags", d.S("tags")), ("address", d.S("address")),
                ("power feed", d.S("powerFeed", "switchId") is { } sw ? $"{sw} port {d.S("powerFeed", "port")}" : null),
                ("active version", d.S("firmware", "activeVersion")), ("inactive version", d.S("firmware", "inactiveVersion")),
                ("storage free", d.S("storage", "freeBytes") is null ? null : $"{Json.Bytes(long.Parse(d.S("storage", "freeBytes")!, System.Globalization.CultureInfo.InvariantCulture))} of {Json.Bytes(long.Parse(d.S("storage", "totalBytes") ?? "0", System.Globalization.CultureInfo.InvariantCulture))}"),
                ("health", d.S("health", "status")), ("last seen", d.S("health", "lastSeenAt")));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Import(CommandSet set)
    {
        var file = new Argument<string>("file") { Description = "CSV file (docs/api.md#csv-import), or - for standard input" };
        var command = new Command("import", "Import devices from CSV: all or nothing; every bad line is listed.") { file };
        set.Action(command, async (inv, ct) =>
        {
            var path = inv.Get(file);
            string csv;
            if (path == "-")
            {
                csv = await inv.Context.Input().ReadToEndAsync(ct);
            }
            else if (File.Exists(path))
            {
                csv = await File.ReadAllTextAsync(path, ct);
            }
            else
            {
                throw CliException.Invalid($"CSV file {Path.GetFullPath(path)} does not exist.");
            }
            var content = new StringContent(csv);
            content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
            var result = await inv.Api.SendAsync(HttpMethod.Post, "api/v1/devices/import", content, ct);
            if (inv.Json)
            {
                inv.Out.PrintJson(result);
                return ExitCodes.Ok;
            }
            inv.Out.Line($"Imported {result.S("imported")} device(s).");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Enrol(CommandSet set)
    {
        var device = DeviceRef.Argument();
        var token = new Option<string?>("--token") { Description = "The DDI target token to set (at least 16 characters); default: one the server generates" };
        var command = new Command("enrol", "Issue a DDI target token for a gateway (shown once).") { device, token };
        set.Action(command, async (inv, ct) =>
        {
            var id = await DeviceRef.ResolveAsync(inv, inv.Get(device), ct);
            var result = await inv.Api.PostAsync($"api/v1/devices/{id}/ddi-token", new { token = inv.Get(token) }, ct);
            if (inv.Json)
            {
                inv.Out.PrintJson(result);
                return ExitCodes.Ok;
            }
            inv.Out.Line($"Token for {result.S("controllerId")} (shown once): {result.S("token")}");
            inv.Out.Line($"The device sends: {result.S("header")}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Timeline(CommandSet set)
    {
        var device = DeviceRef.Argument();
        var command = new Command("timeline", "The device's timeline: every entry of its device jobs, oldest first.") { device };
        set.Action(command, async (inv, ct) =>
        {
            var id = await DeviceRef.ResolveAsync(inv, inv.Get(device), ct);
            await inv.Api.GetAsync($"api/v1/devices/{id}", ct); // an unknown device is a 404, not an empty timeline
            var entries = new List<JsonElement>();
            // The API keeps timelines with their jobs: read the device's jobs (newest first) and each job's timeline.
            var jobs = new List<JsonElement>();
            for (var page = 1; ; page++)
            {
                var items = (await inv.Api.GetAsync($"api/v1/jobs?deviceId={id}&page={page}&pageSize=500", ct)).Items().ToList();
                jobs.AddRange(items);
                if (items.Count < 500)
                {
                    break;
                }
            }
            foreach (var job in jobs)
            {
                var full = await inv.Api.GetAsync($"api/v1/jobs/{job.S("id")}", ct);
                if (full.TryGetProperty("timeline", out var timeline))
                {
                    // Each entry says which job it belongs to: a recovery's retry is a job of its own.
                    foreach (var entry in timeline.EnumerateArray())
                    {
                        var withJob = JsonNode.Parse(entry.GetRawText())!.AsObject();
                        withJob["jobId"] = job.GetProperty("id").GetInt64();
                        entries.Add(JsonSerializer.SerializeToElement(withJob));
                    }
                }
            }
            // Oldest first across jobs: a failed job's recovery entries interleave with its retry's.
            entries = [.. entries.OrderBy(e => e.GetProperty("at").GetDateTimeOffset()).ThenBy(e => e.TryGetProperty("id", out var i) ? i.GetInt64() : 0)];
            if (inv.Json)
            {
                inv.Out.PrintJson(JsonSerializer.SerializeToElement(entries));
                return ExitCodes.Ok;
            }
            inv.Out.Table(entries, ("AT", e => e.S("at")), ("JOB", e => e.S("jobId")), ("KIND", e => e.S("kind")), ("MESSAGE", e => e.S("message")));
            return ExitCodes.Ok;
        });
        return command;
    }
}
