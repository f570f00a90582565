using System.CommandLine;
using System.Text.Json;
using Nova.Firmware.Cli.Output;

namespace Nova.Firmware.Cli.Commands;

/// <summary>
/// <c>novafw recoveries list|show|approve|reject|close</c>: the recovery ladder's runs, one per
/// failed flash: what the diagnosis found, which rung it is on, and what it waits for.
/// </summary>
public static class RecoveryCommands
{
    public static Command Create(CommandSet set)
    {
        var recoveries = new Command("recoveries", "Recovery runs: how each failed flash is being repaired.");

        var device = new Option<string?>("--device") { Description = "Only this device (id or controllerId)" };
        var rung = new Option<string?>("--rung") { Description = "Only runs on this rung (e.g. retrying, awaiting-technician, recovered, blocked; the server lists them all when refused)" };
        var active = new Option<bool>("--active") { Description = "Only runs still working on their device" };
        var paging = new Paging();
        var list = new Command("list", "List recovery runs, newest first.") { device, rung, active, paging.Page, paging.PageSize };
        set.Action(list, async (inv, ct) =>
        {
            var deviceId = inv.Get(device) is { } reference ? (await DeviceRef.ResolveAsync(inv, reference, ct)).ToString() : null;
            var page = await inv.Api.GetAsync(paging.Path(inv, "api/v1/recoveries",
                ("deviceId", deviceId), ("rung", inv.Get(rung)), ("active", inv.Get(active) ? "true" : null)), ct);
            if (inv.Json)
            {
                inv.Out.PrintJson(page);
                return ExitCodes.Ok;
            }
            inv.Out.Table(page.Items(), ("ID", r => r.S("id")), ("DEVICE", r => r.S("controllerId") ?? r.S("deviceId")), ("CAUSE", r => r.S("cause")),
                ("RUNG", r => r.S("rung")), ("VERSION", r => r.S("intendedVersion")), ("STATUS", r => r.S("statusReason")));
            Paging.Footer(inv, page);
            return ExitCodes.Ok;
        });

        var showId = RunId();
        var show = new Command("show", "Show one run: diagnosis, evidence, rung and what it waits for.") { showId };
        set.Action(show, async (inv, ct) =>
        {
            var run = await inv.Api.GetAsync($"api/v1/recoveries/{inv.Get(showId)}", ct);
            if (inv.Json)
            {
                inv.Out.PrintJson(run);
                return ExitCodes.Ok;
            }
            Print(inv, run);
            return ExitCodes.Ok;
        });

        var approveId = RunId();
        var approve = new Command("approve", "Flash the package the run proposes (a wrong-hardware failure).") { approveId };
        set.Action(approve, (inv, ct) => ActAsync(inv, $"api/v1/recoveries/{inv.Get(approveId)}/approve", null, "approved: the proposed package is flashed", ct));

        var rejectId = RunId();
        var reject = new Command("reject", "Refuse the proposed package; the run ends blocked.") { rejectId };
        set.Action(reject, (inv, ct) => ActAsync(inv, $"api/v1/recoveries/{inv.Get(rejectId)}/reject", null, "rejected: the run ends blocked", ct));

        var closeId = RunId();
        var note = new Option<string?>("--note") { Description = "Why, for the record" };
        var close = new Command("close", "End the run where it is (its open technician task is cancelled).") { closeId, note };
        set.Action(close, (inv, ct) => ActAsync(inv, $"api/v1/recoveries/{inv.Get(closeId)}/close", new { note = inv.Get(note) }, "closed", ct));

        recoveries.Subcommands.Add(list);
        recoveries.Subcommands.Add(show);
        recoveries.Subcommands.Add(approve);
        recoveries.Subcommands.Add(reject);
        recoveries.Subcommands.Add(close);
        return recoveries;
    }

    private static Argument<long> RunId() => new("id") { Description = "Recovery run id" };

    private static async Task<int> ActAsync(Invocation inv, string path, object? body, string done, CancellationToken ct)
    {
        var run = await inv.Api.PostAsync(path, body, ct);
        if (inv.Json)
        {
            inv.Out.PrintJson(run);
            return ExitCodes.Ok;
        }
        inv.Out.Line($"Recovery run {run.S("id")} {done}. Now {run.S("rung")}: {run.S("statusReason")}");
        return ExitCodes.Ok;
    }

    private static void Print(Invocation inv, JsonElement run)
    {
        inv.Out.Line($"Recovery run {run.S("id")} of {run.S("controllerId") ?? run.S("deviceId")} (failed job {run.S("failedJobId")}, intended {run.S("intendedVersion")})");
        inv.Out.Line($"  Cause:    {run.S("cause")} (confidence {run.S("confidence")})");
        foreach (var line in run.TryGetProperty("evidence", out var evidence) && evidence.ValueKind == JsonValueKind.Array ? evidence.EnumerateArray() : default)
        {
            inv.Out.Line($"            - {line.GetString()}");
        }
        inv.Out.Line($"  Rung:     {run.S("rung")}{(run.S("rungDeadline") is { } until ? $" (until {until})" : "")}");
        inv.Out.Line($"  Status:   {run.S("statusReason")}");
        if (run.S("blockingCheck") is { } check)
        {
            inv.Out.Line($"  Blocked:  {check}{(run.S("shortfallBytes") is { } shortfall ? $", {shortfall} bytes short" : "")}");
        }
        if (run.S("retryJobId") is { } retry)
        {
            inv.Out.Line($"  Retry:    job {retry} (novafw jobs show {retry}); {run.S("retries")} retries so far");
        }
        if (run.S("proposedPackageId") is { } proposed)
        {
            inv.Out.Line($"  Proposed: package {proposed} (novafw recoveries approve {run.S("id")})");
        }
        if (run.S("technicianTaskId") is { } task)
        {
            inv.Out.Line($"  Task:     technician task {task} (novafw tasks list --device {run.S("controllerId") ?? run.S("deviceId")})");
        }
        if (run.S("recoveredVersion") is { } version)
        {
            inv.Out.Line($"  Recovered on {version}.");
        }
    }
}
