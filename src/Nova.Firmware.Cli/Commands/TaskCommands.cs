using System.CommandLine;
using Nova.Firmware.Cli.Output;

namespace Nova.Firmware.Cli.Commands;

/// <summary><c>novafw tasks list|complete</c>: technician tasks of the recovery ladder (SD card, RMA).</summary>
public static class TaskCommands
{
    public static Command Create(CommandSet set)
    {
        var tasks = new Command("tasks", "Technician tasks: the manual steps of a recovery.");

        var status = new Option<string?>("--status") { Description = "open, done, failed or cancelled" };
        status.AcceptOnlyFromAmong("open", "done", "failed", "cancelled");
        var device = new Option<string?>("--device") { Description = "Only this device (id or controllerId)" };
        var paging = new Paging();
        var list = new Command("list", "List technician tasks, newest first.") { status, device, paging.Page, paging.PageSize };
        set.Action(list, async (inv, ct) =>
        {
            var deviceId = inv.Get(device) is { } reference ? (await DeviceRef.ResolveAsync(inv, reference, ct)).ToString() : null;
            var page = await inv.Api.GetAsync(paging.Path(inv, "api/v1/technician-tasks", ("status", inv.Get(status)), ("deviceId", deviceId)), ct);
            if (inv.Json)
            {
                inv.Out.PrintJson(page);
                return ExitCodes.Ok;
            }
            inv.Out.Table(page.Items(), ("ID", t => t.S("id")), ("STATUS", t => t.S("status")), ("DEVICE", t => t.S("deviceId")), ("TITLE", t => t.S("title")),
                ("WAIT FOR LED", t => t.S("waitForLed")), ("CREATED", t => t.S("createdAt")));
            Paging.Footer(inv, page);
            return ExitCodes.Ok;
        });

        var id = new Argument<long>("id") { Description = "Task id" };
        var note = new Option<string?>("--note") { Description = "What was done, for the record" };
        var complete = new Command("complete", "The task's steps are done: the engine verifies the device.") { id, note };
        set.Action(complete, async (inv, ct) =>
        {
            var result = await inv.Api.PostAsync($"api/v1/technician-tasks/{inv.Get(id)}/complete", new { note = inv.Get(note) }, ct);
            if (inv.Json)
            {
                inv.Out.PrintJson(result);
                return ExitCodes.Ok;
            }
            inv.Out.Line($"Task {inv.Get(id)} completed; the engine now verifies the device.");
            return ExitCodes.Ok;
        });

        tasks.Subcommands.Add(list);
        tasks.Subcommands.Add(complete);
        return tasks;
    }
}
