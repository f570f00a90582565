using System.CommandLine;
using System.Text.Json;
using Nova.Firmware.Cli.Output;

namespace Nova.Firmware.Cli.Commands;

/// <summary><c>novafw rollouts preview|create|list|show|start|pause|resume|approve|cancel|retry|watch</c>.</summary>
public static class RolloutCommands
{
    public static Command Create(CommandSet set)
    {
        var rollouts = new Command("rollouts", "Rollouts: many device jobs in safe stages.");
        rollouts.Subcommands.Add(Preview(set));
        rollouts.Subcommands.Add(CreateRollout(set));
        rollouts.Subcommands.Add(List(set));
        rollouts.Subcommands.Add(Show(set));
        foreach (var (verb, what) in new[]
        {
            ("start", "Start a ready rollout."),
            ("pause", "Pause: no new jobs; started ones run to their end."),
            ("resume", "Resume a paused rollout (failures so far are acknowledged)."),
            ("approve", "Open the next wave of a rollout awaiting approval."),
            ("cancel", "Cancel: devices not started are cancelled; running jobs reach a safe end."),
            ("retry", "Put failed and blocked devices back in the queue."),
        })
        {
            rollouts.Subcommands.Add(Act(set, verb, what));
        }
        rollouts.Subcommands.Add(RolloutWatch.Create(set));
        return rollouts;
    }

    private static Command Preview(CommandSet set)
    {
        var spec = new RolloutSpec();
        var command = new Command("preview", "What a rollout would do: matching devices, the package for each, the waves and today's pre-flight verdicts. Nothing is created.");
        spec.AddTo(command);
        set.Action(command, async (inv, ct) =>
        {
            var preview = await inv.Api.PostAsync("api/v1/rollouts/preview", await spec.BodyAsync(inv, ct), ct);
            if (inv.Json)
            {
                inv.Out.PrintJson(preview);
                return ExitCodes.Ok;
            }
            PrintObject(inv, preview);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command CreateRollout(CommandSet set)
    {
        var spec = new RolloutSpec();
        var name = new Option<string?>("--name") { Description = "Name shown in lists" };
        var start = new Option<bool>("--start") { Description = "Start it at once" };
        var command = new Command("create", "Create a rollout (ready, or running with --start).") { name, start };
        spec.AddTo(command);
        set.Action(command, async (inv, ct) =>
        {
            var body = await spec.BodyAsync(inv, ct);
            body["name"] = inv.Get(name);
            body["start"] = inv.Get(start);
            var rollout = await inv.Api.PostAsync("api/v1/rollouts", body, ct);
            if (inv.Json)
            {
                inv.Out.PrintJson(rollout);
                return ExitCodes.Ok;
            }
            inv.Out.Line($"Rollout {rollout.S("id")} '{rollout.S("name")}' {rollout.S("status")}: {rollout.S("progress", "total")} device(s) in {rollout.S("waveCount")} wave(s).");
            inv.Out.Line(rollout.S("status") == "ready" ? $"Start it: novafw rollouts start {rollout.S("id")}" : $"Follow it: novafw rollouts watch {rollout.S("id")}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command List(CommandSet set)
    {
        var status = new Option<string?>("--status") { Description = "ready, running, paused, awaiting-approval, completed or cancelled" };
        status.AcceptOnlyFromAmong("ready", "running", "paused", "awaiting-approval", "completed", "cancelled");
        var paging = new Paging();
        var command = new Command("list", "List rollouts, newest first.") { status, paging.Page, paging.PageSize };
        set.Action(command, async (inv, ct) =>
        {
            var page = await inv.Api.GetAsync(paging.Path(inv, "api/v1/rollouts", ("status", inv.Get(status))), ct);
            if (inv.Json)
            {
                inv.Out.PrintJson(page);
                return ExitCodes.Ok;
            }
            inv.Out.Table(page.Items(), ("ID", r => r.S("id")), ("NAME", r => r.S("name")), ("STATUS", r => r.S("status")), ("WAVES", r => r.S("waveCount")),
                ("CREATED", r => r.S("createdAt")), ("REASON", r => r.S("statusReason")));
            Paging.Footer(inv, page);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Show(CommandSet set)
    {
        var id = new Argument<long>("id") { Description = "Rollout id" };
        var command = new Command("show", "Show a rollout with its progress per wave.") { id };
        set.Action(command, async (inv, ct) =>
        {
            var rollout = await inv.Api.GetAsync($"api/v1/rollouts/{inv.Get(id)}", ct);
            if (inv.Json)
            {
                inv.Out.PrintJson(rollout);
                return ExitCodes.Ok;
            }
            RolloutWatch.PrintSummary(inv, rollout);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Act(CommandSet set, string verb, string description)
    {
        var id = new Argument<long>("id") { Description = "Rollout id" };
        var command = new Command(verb, description) { id };
        set.Action(command, async (inv, ct) =>
        {
            var result = await inv.Api.PostAsync($"api/v1/rollouts/{inv.Get(id)}/{verb}", null, ct);
            if (inv.Json)
            {
                inv.Out.PrintJson(result);
                return ExitCodes.Ok;
            }
            inv.Out.Line($"Rollout {result.S("id") ?? inv.Get(id).ToString(System.Globalization.CultureInfo.InvariantCulture)}: {result.S("status")}{(result.S("message") is { } m ? " - " + m : "")}");
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>A preview has nested counts; shown as indented name/value lines.</summary>
    private static void PrintObject(Invocation inv, JsonElement element, string indent = "")
    {
        foreach (var property in element.EnumerateObject())
        {
            switch (property.Value.ValueKind)
            {
                case JsonValueKind.Object:
                    inv.Out.Line($"{indent}{property.Name}:");
                    PrintObject(inv, property.Value, indent + "  ");
                    break;
                case JsonValueKind.Array when property.Value.GetArrayLength() > 0 && property.Value[0].ValueKind == JsonValueKind.Object:
                    inv.Out.Line($"{indent}{property.Name}: {property.Value.GetArrayLength()} item(s)");
                    foreach (var item in property.Value.EnumerateArray().Take(20))
                    {
                        inv.Out.Line($"{indent}  - {string.Join(", ", item.EnumerateObject().Where(p => p.Value.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array or JsonValueKind.Null)).Select(p => $"{p.Name} {p.Value}"))}");
                    }
                    break;
                case JsonValueKind.Array:
                case JsonValueKind.String:
                case JsonValueKind.Number:
                case JsonValueKind.True:
                case JsonValueKind.False:
                case JsonValueKind.Null:
                case JsonValueKind.Undefined:
                default:
                    inv.Out.Line($"{indent}{property.Name}: {element.S(property.Name)}");
                    break;
            }
        }
    }
}
