using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Nova.Firmware.EndToEnd.Tests.Nova;
using Nova.Firmware.Server.Tests.Infrastructure;
using Nova.Firmware.Simulator.Faults;
using Nova.Firmware.Simulator.Fleet;
using Xunit.Abstractions;

namespace Nova.Firmware.Console.Tests;

/// <summary>
/// Every console page, with real data behind it (a finished rollout, a failed device), checked by
/// axe: no serious or critical violation. Each page's screenshot goes to the artifacts folder;
/// with NOVA_UPDATE_DOC_IMAGES=1 three of them are copied into docs/images for the README.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class AccessibilityTests(ConsoleBrowser browser, ITestOutputHelper output)
{
    [Fact(Timeout = 300_000)]
    public async Task EveryPage_NoSeriousOrCriticalViolations()
    {
        var fleet = new FleetDefinition { Devices = [SimulatedFleetScenario.Gateway("gw-01"), SimulatedFleetScenario.Gateway("gw-02")] };
        await using var scenario = await SimulatedFleetScenario.StartAsync(fleet, new Dictionary<string, string>
        {
            ["Nova:Rollouts:TickInterval"] = "00:00:00.200",
            ["Nova:Rollouts:RecheckInterval"] = "00:00:00.500",
        });
        var v2 = await scenario.ImportImageAsync("2.0.0", "1.0");
        using var admin = SimulatedFleetScenario.Admin(scenario.Server);
        var created = await admin.PostAsJsonAsync("/api/v1/rollouts", new { name = "Acme 2.0.0 to the gateways", packageId = v2, target = new { model = "GW-100" }, start = true });
        Assert.Equal(System.Net.HttpStatusCode.Created, created.StatusCode);
        var rolloutId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        await Eventually.GetAsync(() => admin.GetFromJsonAsync<JsonElement>($"/api/v1/rollouts/{rolloutId}"),
            r => r.GetProperty("status").GetString() == "completed", TimeSpan.FromSeconds(180), "the rollout to complete");
        scenario.Simulation.InjectFault("gw-02", new FaultRequest(FaultKind.BootFailure, Count: 100));
        var v3 = await scenario.ImportImageAsync("3.0.0", "1.0");
        await scenario.JobInStatusAsync(await scenario.StartJobAsync("gw-02", v3), "failed");
        var failedDevice = await scenario.DeviceIdAsync("gw-02");

        await using var tab = await ConsolePage.OpenAsync(browser.Browser, scenario.Server.BaseAddress, output);
        var violations = new List<string>();
        await tab.Page.GotoAsync("/console/sign-in");
        violations.AddRange(await CheckAsync(tab, "sign-in"));
        await tab.SignInAsync("admin", NovaServer.AdminPassword);

        var pages = new (string Name, string Path, string Ready)[]
        {
            ("overview", "/console", "[data-testid=devices-total]"),
            ("devices", "/console/devices", "a[href^='/console/devices/']"),
            ("device", $"/console/devices/{failedDevice}", "[data-testid=diagnosis-cause]"),
            ("rollouts", "/console/rollouts", "a[href^='/console/rollouts/']"),
            ("rollout", $"/console/rollouts/{rolloutId}", "[data-testid=rollout-totals]"),
            ("rollout-new", "/console/rollouts/new", "#preview-title"),
            ("firmware", "/console/firmware", "[data-testid=catalog]"),
            ("diagnose", "/console/diagnose", "textarea"),
            ("audit", "/console/audit", "[data-testid=audit]"),
            ("accounts", "/console/accounts", "[data-testid=users]"),
        };
        foreach (var (name, path, ready) in pages)
        {
            await tab.GoAsync(path);
            await tab.Page.Locator(ready).First.WaitForAsync();
            violations.AddRange(await CheckAsync(tab, name));
        }
        // A tablet's width: the navigation folds away behind the menu button, which opens it.
        await tab.Page.SetViewportSizeAsync(800, 1100);
        await tab.GoAsync("/console");
        await tab.Page.GetByTestId("devices-total").WaitForAsync();
        var menu = tab.Page.GetByRole(AriaRole.Button, new() { Name = "Show navigation" });
        await Assertions.Expect(menu).ToHaveAttributeAsync("aria-expanded", "false");
        await Assertions.Expect(tab.Page.GetByRole(AriaRole.Link, new() { Name = "Devices" })).Not.ToBeInViewportAsync();
        await menu.ClickAsync();
        await Assertions.Expect(tab.Page.GetByRole(AriaRole.Link, new() { Name = "Devices" })).ToBeInViewportAsync();
        violations.AddRange(await CheckAsync(tab, "overview-tablet"));
        await tab.Page.GetByRole(AriaRole.Link, new() { Name = "Devices" }).ClickAsync();
        await Assertions.Expect(tab.Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/console/devices$"));
        await tab.Page.SetViewportSizeAsync(1280, 900);

        // The diagnosis page with a verdict on it.
        await tab.GoAsync("/console/diagnose");
        await tab.Page.GetByLabel("Failure log", new() { Exact = false }).FillAsync("[ERROR] : SWUPDATE failed [0] ERROR core/cpio_utils.c : copyfile : 464 : cannot write 16384 bytes: No space left on device");
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Diagnose" }).ClickAsync();
        await tab.Page.GetByTestId("diagnose-result").WaitForAsync();
        violations.AddRange(await CheckAsync(tab, "diagnose-result"));

        CopyToDocs("overview", "console-overview.png");
        CopyToDocs("device", "console-device.png");
        CopyToDocs("firmware", "console-firmware.png");
        Assert.True(violations.Count == 0, string.Join("\n", violations));
        // MudBlazor's stylesheet and script are served (static web assets of its package), and
        // nothing on any page was refused by the console's Content-Security-Policy.
        Assert.Contains(tab.ComponentAssets, a => a.Url.EndsWith("/_content/MudBlazor/MudBlazor.min.css", StringComparison.Ordinal) && a.Status == 200);
        Assert.Contains(tab.ComponentAssets, a => a.Url.EndsWith("/_content/MudBlazor/MudBlazor.min.js", StringComparison.Ordinal) && a.Status == 200);
        Assert.All(tab.ComponentAssets, a => Assert.True(a.Status is 200 or 304, $"{a.Url} answered {a.Status}"));
        Assert.Empty(tab.CspViolations);
    }

    private static async Task<IReadOnlyList<string>> CheckAsync(ConsolePage tab, string name)
    {
        await tab.ScreenshotAsync(name);
        return await tab.SeriousAccessibilityViolationsAsync(name);
    }

    /// <summary>Refreshes the README's pictures on request only: a test run never edits the repository by itself.</summary>
    private void CopyToDocs(string page, string fileName)
    {
        if (Environment.GetEnvironmentVariable("NOVA_UPDATE_DOC_IMAGES") != "1")
        {
            return;
        }
        var repository = AppContext.BaseDirectory;
        while (repository is not null && !File.Exists(Path.Combine(repository, "Nova.Firmware.slnx")))
        {
            repository = Path.GetDirectoryName(repository);
        }
        Assert.NotNull(repository);
        var target = Path.Combine(repository, "docs", "images", fileName);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Copy(Path.Combine(ConsoleBrowser.ArtifactsDirectory, page + ".png"), target, overwrite: true);
        output.WriteLine($"copied to {target}");
    }
}
