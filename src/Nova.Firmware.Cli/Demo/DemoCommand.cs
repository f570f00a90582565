using System.CommandLine;

namespace Nova.Firmware.Cli.Demo;

/// <summary>
/// <c>novafw demo</c>: a server on SQLite, the simulated demo fleet enrolled in it, the next firmware
/// for every model built and imported, and a rollout ready to start; with <c>--start</c>, the rollout
/// runs to its end and the exit code says how it ended.
/// </summary>
public static class DemoCommand
{
    public static Command Create(CliContext context)
    {
        var port = new Option<int>("--port") { Description = "Server port on 127.0.0.1 (0 = any free port)", DefaultValueFactory = _ => 5080 };
        var data = new Option<string?>("--data") { Description = "Data directory to keep (default: a fresh temporary one, removed when the demo stops)" };
        var fleet = new Option<string?>("--fleet") { Description = "Fleet file (default: the simulator's fleets/demo.yaml)" };
        var timeScale = new Option<double?>("--time-scale") { Description = "Simulated seconds per real second (default: the fleet file's, 60)" };
        var start = new Option<bool>("--start") { Description = "Start the rollout at once, watch it to the end, then stop (exit 0 when no device failed)" };
        var command = new Command("demo", "Run the product on a fresh SQLite database with a simulated fleet of ~60 devices and a rollout ready to start.")
        {
            port, data, fleet, timeScale, start,
        };
        command.SetAction(async (parse, ct) =>
        {
            var options = new DemoRun.Options(parse.GetValue(port), parse.GetValue(data), parse.GetValue(fleet), parse.GetValue(timeScale), parse.GetValue(start));
            if (options.Port is < 0 or > 65535 || options.TimeScale is <= 0)
            {
                await context.Error.WriteLineAsync("novafw: --port must be 0-65535 and --time-scale above 0.");
                return ExitCodes.InvalidInput;
            }
            try
            {
                return await new DemoRun(context, options).RunAsync(ct);
            }
            catch (CliException ex)
            {
                await context.Error.WriteLineAsync($"novafw: {ex.Message}");
                return ex.ExitCode;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                // Ctrl+C during set-up: the host and data directory are already cleaned up.
                await context.Error.WriteLineAsync("novafw: demo interrupted.");
                return 130;
            }
        });
        return command;
    }
}
