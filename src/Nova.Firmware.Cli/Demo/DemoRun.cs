extern alias simulator;

using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Nova.Firmware.Cli.Output;
using simulator::Nova.Firmware.Simulator.Devices;

namespace Nova.Firmware.Cli.Demo;

/// <summary>
/// The demo's steps, each printed with the time it took. Everything after the start goes through
/// novafw's own commands (devices import and enrol, packages build and import, rollouts create),
/// so the demo also shows how an operator does it.
/// </summary>
public sealed class DemoRun(CliContext context, DemoRun.Options options)
{
    public sealed record Options(int Port, string? Data, string? Fleet, double? TimeScale, bool Start);

    private static readonly TimeSpan RegistrationTimeout = TimeSpan.FromSeconds(90);
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private string _server = "";
    private string _apiKey = "";

    public async Task<int> RunAsync(CancellationToken ct)
    {
        Step("Starting the Nova Firmware demo: the server on SQLite and a simulated fleet, on 127.0.0.1 only.");
        var fleet = DemoFleet.Load(options.Fleet);
        if (options.TimeScale is { } scale)
        {
            fleet.TimeScale = scale;
        }
        var ownsData = options.Data is null;
        var data = options.Data is null ? Directory.CreateTempSubdirectory("nova-demo-").FullName : Path.GetFullPath(options.Data);
        try
        {
            await using var host = await DemoHost.StartAsync(fleet, options.Port, data, ct);
            _server = host.ServerUrl.ToString().TrimEnd('/');
            var devices = fleet.ExpandDevices().ToList();
            Step($"Server listening on {_server}; {devices.Count} simulated devices powered on ({fleet.TimeScale.ToString(CultureInfo.InvariantCulture)} simulated seconds per second).");
            if (host.FaultyDevices.Count > 0)
            {
                Step($"Armed: {string.Join(", ", host.FaultyDevices.Where(d => d != DemoFleet.DamagedDownload))} lose their connection halfway through the download once (they resume); "
                    + $"{DemoFleet.DamagedDownload}'s first download arrives damaged (the recovery ladder retries it); "
                    + "gw-careless flashes whatever it gets; gw-full has no room for an update.");
            }
            _apiKey = await CreateApiKeyAsync(host, ct);

            await CliAsync(DemoFleet.InventoryCsv(devices, host.SimulatorUrl), ct, "devices", "import", "-");
            var gateways = devices.Where(d => d.Kind == DeviceKind.Gateway).ToList();
            foreach (var gateway in gateways)
            {
                await CliAsync("", ct, "devices", "enrol", gateway.Id, "--token", gateway.EffectiveDdiToken);
            }
            await SetCameraCredentialsAsync(host, devices, ct);
            Step($"Enrolled {devices.Count} devices (site '{DemoFleet.Site}'): {gateways.Count} DDI gateways with their target tokens, {devices.Count - gateways.Count} ONVIF cameras with the site's credentials.");

            var packageIds = await ImportPackagesAsync(fleet, Path.Combine(data, "demo-packages"), ct);
            Step($"Built and imported {packageIds.Count} packages, one per model and hardware revision.");

            await WaitForGatewaysAsync(gateways.Count, ct);
            Step("Every gateway has polled the server.");

            var created = await CliAsync("", ct, ["rollouts", "create", "--name", "Demo: next firmware for the whole site", "--site", DemoFleet.Site,
                "--canaries", "6", "--wave-percent", "50", "--success-gate", "80", "--max-concurrent", "20",
                // One more attempt, soon: a device the recovery ladder repaired is counted succeeded at its retry.
                "--max-attempts", "2", "--retry-backoff", "00:00:15", "--json",
                .. packageIds.SelectMany(id => new[] { "--package", id })]);
            var rollout = JsonDocument.Parse(created).RootElement;
            var id = rollout.S("id")!;
            Step($"Rollout {id} is ready: {rollout.S("progress", "total")} devices in {rollout.S("waveCount")} waves.");
            PrintBanner(host, id);

            if (!options.Start)
            {
                Step("Press Ctrl+C to stop the demo.");
                try
                {
                    await Task.Delay(Timeout.Infinite, ct);
                }
                catch (OperationCanceledException)
                {
                    Step("Stopping.");
                }
                return ExitCodes.Ok;
            }
            await CliAsync("", ct, "rollouts", "start", id);
            Step($"Rollout {id} started.");
            var watched = await NovaCli.RunAsync(["--server", _server, "--api-key", _apiKey, "rollouts", "watch", id, "--interval", "0.5"], context, ct);
            var final = JsonDocument.Parse(await CliAsync("", ct, "rollouts", "show", id, "--json")).RootElement;
            Step($"Demo rollout {id} {final.S("status")}: {final.I("progress", "byState", "succeeded")} succeeded, {final.I("progress", "byState", "failed")} failed, "
                + $"{final.I("progress", "byState", "blocked")} blocked, {final.I("progress", "byState", "skipped")} skipped of {final.I("progress", "total")}.");
            await PrintRecoveriesAsync(ct);
            return watched;
        }
        finally
        {
            if (ownsData)
            {
                TryDelete(data);
            }
        }
    }

    /// <summary>What the recovery ladder did during the rollout: one line per run.</summary>
    private async Task PrintRecoveriesAsync(CancellationToken ct)
    {
        var runs = JsonDocument.Parse(await CliAsync("", ct, "recoveries", "list", "--json")).RootElement.Items().ToList();
        if (runs.Count == 0)
        {
            Step("No flash failed, so the recovery ladder had nothing to do.");
            return;
        }
        foreach (var run in runs)
        {
            var name = run.S("controllerId") ?? run.S("deviceId");
            Step($"Recovery run {run.S("id")} ({name}): {run.S("cause")}, now {run.S("rung")}. {run.S("statusReason")} (novafw recoveries show {run.S("id")})");
        }
    }

    private void Step(string text) => context.Output.WriteLine($"[{_clock.Elapsed:mm\\:ss}] {text}");

    private void PrintBanner(DemoHost host, string rolloutId)
    {
        var lines = new[]
        {
            "",
            "The demo is running.",
            $"  Web console:     {_server}/console",
            $"  API browser:     {_server}/api   (OpenAPI: {_server}/openapi/v1.json)",
            $"  Sign in:         admin / {host.AdminPassword}",
            $"  API key (admin): {_apiKey}",
            $"  Simulator:       {host.SimulatorUrl}control/v1/devices (each simulated device's truth)",
            "  In another terminal:",
            $"    export NOVAFW_SERVER={_server} NOVAFW_API_KEY={_apiKey}",
            "    novafw devices list --site demo",
            $"    novafw rollouts start {rolloutId} && novafw rollouts watch {rolloutId}",
            "",
        };
        foreach (var line in lines)
        {
            context.Output.WriteLine(line);
        }
    }

    /// <summary>Runs one novafw command against the demo server; its failure stops the demo with the command's own message.</summary>
    private async Task<string> CliAsync(string input, CancellationToken ct, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var step = new CliContext { Output = output, Error = error, Input = () => new StringReader(input), Environment = _ => null };
        var code = await NovaCli.RunAsync(["--server", _server, "--api-key", _apiKey, .. args], step, ct);
        if (code != ExitCodes.Ok)
        {
            throw new CliException(ExitCodes.Failure, $"demo step 'novafw {string.Join(' ', args)}' failed: {error.ToString().Trim()}");
        }
        return output.ToString();
    }

    private async Task<string> CreateApiKeyAsync(DemoHost host, CancellationToken ct)
    {
        using var admin = Admin(host);
        var response = await admin.PostAsJsonAsync("api/v1/api-keys", new { name = "demo", role = "admin" }, ct);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("key").GetString()!;
    }

    /// <summary>Simulated cameras share one user name and password; set once for the site.</summary>
    private static async Task SetCameraCredentialsAsync(DemoHost host, IReadOnlyList<DeviceSpec> devices, CancellationToken ct)
    {
        if (devices.FirstOrDefault(d => d.Kind == DeviceKind.Camera) is not { } camera)
        {
            return;
        }
        using var admin = Admin(host);
        var response = await admin.PutAsJsonAsync($"api/v1/sites/{DemoFleet.Site}/credentials", new { username = camera.OnvifUsername, password = camera.OnvifPassword }, ct);
        response.EnsureSuccessStatusCode();
    }

    private async Task<List<string>> ImportPackagesAsync(simulator::Nova.Firmware.Simulator.Fleet.FleetDefinition fleet, string directory, CancellationToken ct)
    {
        var ids = new List<string>();
        foreach (var plan in DemoPackages.Write(fleet, directory))
        {
            string[] import;
            if (plan.Bundle)
            {
                var swu = Path.ChangeExtension(plan.ImagePath, ".swu");
                await CliAsync("", ct, "packages", "build", plan.ImagePath, "--version", plan.Version, "--revision", plan.Revision, "--model", plan.Model, "--output", swu);
                import = ["packages", "import", swu, "--vendor", plan.Vendor, "--model", plan.Model, "--soc", plan.Soc, "--json"];
            }
            else
            {
                import = ["packages", "import", plan.ImagePath, "--vendor", plan.Vendor, "--model", plan.Model, "--soc", plan.Soc, "--version", plan.Version, "--revision", plan.Revision, "--json"];
            }
            ids.Add(JsonDocument.Parse(await CliAsync("", ct, import)).RootElement.S("id")!);
        }
        return ids;
    }

    private async Task WaitForGatewaysAsync(int count, CancellationToken ct)
    {
        var until = DateTime.UtcNow + RegistrationTimeout;
        while (true)
        {
            var page = JsonDocument.Parse(await CliAsync("", ct, "devices", "list", "--kind", "gateway", "--page-size", "500", "--json")).RootElement;
            var polled = page.Items().Count(d => d.S("health", "lastSeenAt") is not null);
            if (polled >= count)
            {
                return;
            }
            if (DateTime.UtcNow > until)
            {
                throw new CliException(ExitCodes.Failure, $"Only {polled} of {count} gateways polled the server within {RegistrationTimeout.TotalSeconds} s.");
            }
            await Task.Delay(500, ct);
        }
    }

    private static HttpClient Admin(DemoHost host)
    {
        var client = new HttpClient { BaseAddress = host.ServerUrl };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"admin:{host.AdminPassword}")));
        return client;
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // a file still held by a finishing request; the temp folder is cleaned by the OS
        }
    }
}
