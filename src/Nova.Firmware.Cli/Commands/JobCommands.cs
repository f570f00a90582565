using System.CommandLine;
using System.Text.Json;
using Nova.Firmware.Cli.Output;

namespace Nova.Firmware.Cli.Commands;

/// <summary><c>novafw jobs create|show|watch</c>: one device moving to one package.</summary>
public static class JobCommands
{
    private static readonly string[] Ended = ["succeeded", "failed", "blocked", "cancelled"];

    public static Command Create(CommandSet set)
    {
        var jobs = new Command("jobs", "Device jobs: one device moving to one package.");

        var device = new Option<string>("--device") { Description = "Device id or controllerId", Required = true };
        var package = new Option<Guid>("--package") { Description = "Package id", Required = true };
        var watchToo = new Option<bool>("--watch") { Description = "Follow the job until it ends" };
        var create = new Command("create", "Start a device job (refused with 422 when it could never run).") { device, package, watchToo };
        set.Action(create, async (inv, ct) =>
        {
            var id = await DeviceRef.ResolveAsync(inv, inv.Get(device)!, ct);
            var job = await inv.Api.PostAsync($"api/v1/devices/{id}/jobs", new { packageId = inv.Get(package) }, ct);
            if (inv.Get(watchToo))
            {
                return await WatchAsync(inv, job.GetProperty("id").GetInt64(), ct);
            }
            if (inv.Json)
            {
                inv.Out.PrintJson(job);
                return ExitCodes.Ok;
            }
            inv.Out.Line($"Job {job.S("id")} {job.S("status")}. Follow it: novafw jobs watch {job.S("id")}");
            return ExitCodes.Ok;
        });

        var jobId = new Argument<long>("id") { Description = "Job id" };
        var show = new Command("show", "Show one job with its timeline.") { jobId };
        set.Action(show, async (inv, ct) =>
        {
            var job = await inv.Api.GetAsync($"api/v1/jobs/{inv.Get(jobId)}", ct);
            if (inv.Json)
            {
                inv.Out.PrintJson(job);
            }
            else
            {
                PrintJob(inv, job);
            }
            return ExitCodes.Ok;
        });

        var watchId = new Argument<long>("id") { Description = "Job id" };
        var interval = Interval();
        var watch = new Command("watch", "Follow a job until it ends; exit 0 when it succeeded, 1 otherwise.") { watchId, interval };
        set.Action(watch, (inv, ct) => WatchAsync(inv, inv.Get(watchId), ct, inv.Get(interval)));

        jobs.Subcommands.Add(create);
        jobs.Subcommands.Add(show);
        jobs.Subcommands.Add(watch);
        return jobs;
    }

    public static Option<double> Interval() => new("--interval") { Description = "Seconds between polls", DefaultValueFactory = _ => 1.0 };

    private static async Task<int> WatchAsync(Invocation inv, long id, CancellationToken ct, double seconds = 1)
    {
        var delay = TimeSpan.FromSeconds(Math.Clamp(seconds, 0.1, 60));
        string? last = null;
        while (true)
        {
            var job = await inv.Api.GetAsync($"api/v1/jobs/{id}", ct);
            var status = job.S("status");
            if (status != last && !inv.Json)
            {
                inv.Out.Line($"{DateTimeOffset.UtcNow:HH:mm:ss} job {id}: {status}{(job.S("statusReason") is { } r ? " - " + r : "")}");
                last = status;
            }
            if (Ended.Contains(status))
            {
                if (inv.Json)
                {
                    inv.Out.PrintJson(job);
                }
                else if (status != "succeeded")
                {
                    PrintJob(inv, job);
                }
                return status == "succeeded" ? ExitCodes.Ok : ExitCodes.Failure;
            }
            await Task.Delay(delay, ct);
        }
    }

    private static void PrintJob(Invocation inv, JsonElement job)
    {
        inv.Out.Fields(("job", job.S("id")), ("device", job.S("deviceId")), ("package", job.S("packageId")), ("status", job.S("status")),
            ("cause", job.S("cause")), ("blocking check", job.S("blockingCheck")), ("reason", job.S("statusReason")), ("article", job.S("articleUrl")));
        if (job.TryGetProperty("timeline", out var timeline) && timeline.ValueKind == JsonValueKind.Array)
        {
            inv.Out.Table(timeline.EnumerateArray(), ("AT", e => e.S("at")), ("KIND", e => e.S("kind")), ("MESSAGE", e => e.S("message")));
        }
    }
}
