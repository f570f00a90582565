using System.CommandLine;
using System.Text.Json;
using Nova.Firmware.Cli.Output;
using Spectre.Console;

namespace Nova.Firmware.Cli.Commands;

/// <summary>
/// <c>novafw rollouts watch ID</c>: live progress bars per wave until the rollout stops moving
/// (completed, cancelled, paused, awaiting approval). Without a terminal, one line per change.
/// </summary>
public static class RolloutWatch
{
    private static readonly string[] Stopped = ["completed", "cancelled", "paused", "awaiting-approval"];

    public static Command Create(CommandSet set)
    {
        var id = new Argument<long>("id") { Description = "Rollout id" };
        var interval = JobCommands.Interval();
        var command = new Command("watch", "Follow a rollout wave by wave until it completes, is cancelled, pauses or awaits approval.") { id, interval };
        set.Action(command, async (inv, ct) =>
        {
            var delay = TimeSpan.FromSeconds(Math.Clamp(inv.Get(interval), 0.1, 60));
            var path = $"api/v1/rollouts/{inv.Get(id)}";
            var rollout = await inv.Api.GetAsync(path, ct);
            if (inv.Context.Interactive && !inv.Json)
            {
                await inv.Out.Console.Progress().AutoClear(false)
                    .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn())
                    .StartAsync(async context =>
                    {
                        var bars = new Dictionary<int, ProgressTask>();
                        while (true)
                        {
                            foreach (var wave in Waves(rollout))
                            {
                                var number = wave.I("wave");
                                if (!bars.TryGetValue(number, out var bar))
                                {
                                    bar = bars[number] = context.AddTask(Markup.Escape(WaveLine(wave)), maxValue: Math.Max(1, wave.I("total")));
                                }
                                bar.Description = Markup.Escape(WaveLine(wave));
                                bar.Value = Done(wave);
                            }
                            if (Stopped.Contains(rollout.S("status")))
                            {
                                return;
                            }
                            await Task.Delay(delay, ct);
                            rollout = await inv.Api.GetAsync(path, ct);
                        }
                    });
            }
            else
            {
                string? last = null;
                while (true)
                {
                    var line = $"{rollout.S("status")}: " + string.Join(" | ", Waves(rollout).Select(WaveLine));
                    if (line != last && !inv.Json)
                    {
                        inv.Out.Line($"{DateTimeOffset.UtcNow:HH:mm:ss} {line}");
                        last = line;
                    }
                    if (Stopped.Contains(rollout.S("status")))
                    {
                        break;
                    }
                    await Task.Delay(delay, ct);
                    rollout = await inv.Api.GetAsync(path, ct);
                }
            }
            if (inv.Json)
            {
                inv.Out.PrintJson(rollout);
            }
            else
            {
                PrintSummary(inv, rollout);
            }
            var failed = rollout.I("progress", "byState", "failed");
            return rollout.S("status") switch
            {
                "completed" when failed == 0 => ExitCodes.Ok,
                "awaiting-approval" => ExitCodes.Ok,
                _ => ExitCodes.Failure,
            };
        });
        return command;
    }

    public static void PrintSummary(Invocation inv, JsonElement rollout)
    {
        inv.Out.Fields(("rollout", rollout.S("id")), ("name", rollout.S("name")), ("status", rollout.S("status")), ("reason", rollout.S("statusReason")),
            ("target", rollout.S("target", "model") ?? ""), ("started", rollout.S("startedAt")), ("finished", rollout.S("finishedAt")),
            ("estimated end", rollout.S("progress", "estimatedCompletion")));
        // Short headers: the table fits an 80-column terminal.
        inv.Out.Table(Waves(rollout), ("WAVE", w => w.S("name")), ("TOTAL", w => w.S("total")), ("PEND", w => w.S("pending")),
            ("ACTIVE", w => w.S("active")), ("OK", w => w.S("succeeded")), ("SKIP", w => w.S("skipped")), ("FAIL", w => w.S("failed")),
            ("BLOCK", w => w.S("blocked")), ("CANCEL", w => w.S("cancelled")));
        if (rollout.TryGetProperty("progress", out var progress) && progress.ValueKind == JsonValueKind.Object)
        {
            foreach (var (title, name) in new[] { ("failures by cause", "failuresByCause"), ("blocked by check", "blockedByCheck") })
            {
                if (progress.TryGetProperty(name, out var counts) && counts.ValueKind == JsonValueKind.Object && counts.EnumerateObject().Any())
                {
                    inv.Out.Line($"{title}: {string.Join(", ", counts.EnumerateObject().Select(p => $"{p.Name} {p.Value}"))}");
                }
            }
        }
    }

    private static IEnumerable<JsonElement> Waves(JsonElement rollout) =>
        rollout.TryGetProperty("progress", out var progress) && progress.ValueKind == JsonValueKind.Object && progress.TryGetProperty("waves", out var waves)
            ? waves.EnumerateArray().ToList()
            : [];

    private static int Done(JsonElement wave) =>
        wave.I("succeeded") + wave.I("failed") + wave.I("blocked") + wave.I("cancelled") + wave.I("skipped");

    private static string WaveLine(JsonElement wave) =>
        $"{wave.S("name")}: {Done(wave)}/{wave.I("total")} done ({wave.I("succeeded")} ok, {wave.I("failed")} failed, {wave.I("active")} active)";
}
