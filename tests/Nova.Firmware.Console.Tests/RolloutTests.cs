using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using Nova.Firmware.Domain.Rollouts;
using Nova.Firmware.EndToEnd.Tests.Nova;
using Nova.Firmware.Persistence;
using Nova.Firmware.Server.Auth;
using Nova.Firmware.Server.Tests.Builders;
using Nova.Firmware.Server.Tests.Infrastructure;
using Nova.Firmware.Server.WebConsole;
using Nova.Firmware.Simulator.Fleet;
using Xunit.Abstractions;

namespace Nova.Firmware.Console.Tests;

/// <summary>Rollouts from the console: the pre-flight preview, live progress, and who may act.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class RolloutTests(ConsoleBrowser browser, ITestOutputHelper output)
{
    private static readonly Dictionary<string, string> FastRollouts = new()
    {
        ["Nova:Rollouts:TickInterval"] = "00:00:00.200",
        ["Nova:Rollouts:RecheckInterval"] = "00:00:00.500",
    };

    [Fact(Timeout = 300_000)]
    public async Task CreateRollout_PreviewCountsTheFleet_ProgressFollowedLiveToTheEnd()
    {
        var fleet = new FleetDefinition { Devices = [.. Enumerable.Range(1, 3).Select(i => SimulatedFleetScenario.Gateway($"gw-{i:D2}"))] };
        var logs = new CapturedLogs();
        await using var scenario = await SimulatedFleetScenario.StartAsync(fleet, FastRollouts, s => s.AddSingleton<ILoggerProvider>(logs));
        await scenario.ImportImageAsync("2.0.0", "1.0");
        var (_, op) = await scenario.Server.CreateUserClientAsync("operator", "console-op");
        await using var tab = await ConsolePage.OpenAsync(browser.Browser, scenario.Server.BaseAddress, output);
        await tab.SignInAsync(op.UserName, Accounts.Password);

        await tab.GoAsync("/console/rollouts/new");
        var modelField = tab.Page.GetByLabel("Model", new() { Exact = true });
        // The preview follows the form: a model no device has matches none. (This also makes the
        // next count the answer to the model typed, not the first preview's, which had no model.)
        await modelField.FillAsync("CAM-404");
        await modelField.BlurAsync();
        await Assertions.Expect(tab.Page.GetByTestId("preview-summary")).ToContainTextAsync("0 devices match");
        await modelField.FillAsync("GW-100");
        await modelField.BlurAsync();
        // The preview is the API's: three gateways on 1.0.0, rev 1.0, all pass today's gate.
        await Assertions.Expect(tab.Page.GetByTestId("preview-summary")).ToContainTextAsync("3 devices match");
        await Assertions.Expect(tab.Page.GetByTestId("preview-pass")).ToHaveTextAsync("3 pass");
        await tab.ScreenshotAsync("rollout-new-preview");
        // As a person would: the preview has finished checking before the form is sent.
        await Assertions.Expect(tab.Page.GetByRole(AriaRole.Progressbar, new() { Name = "Checking the pre-flight preview" })).ToHaveCountAsync(0);

        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Create rollout" }).ClickAsync();
        try
        {
            // An assertion that re-reads the address until it matches. WaitForURLAsync waits for a
            // navigation event, and once (under load) it waited out its timeout on a tab that was
            // already at /console/rollouts/1: Blazor's in-page navigation had come and gone unseen.
            await Assertions.Expect(tab.Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/console/rollouts/\\d+$"));
        }
        catch (PlaywrightException)
        {
            // What the page showed instead (a refusal, or the form still there) is the clue.
            await tab.ScreenshotAsync("rollout-create-timeout");
            output.WriteLine(await tab.DescribeAsync());
            foreach (var entry in logs.Entries.Where(e => e.Level >= LogLevel.Warning))
            {
                output.WriteLine($"server {entry.Level} {entry.Category}: {entry.Message} {entry.Exception}");
            }
            throw;
        }
        // Marks this document: if the page reloaded to show progress, the mark would be gone.
        await tab.Page.EvaluateAsync("() => window.__stillTheSamePage = true");
        await Assertions.Expect(tab.Page.GetByTestId("rollout-status")).ToHaveTextAsync("completed", new() { Timeout = 180_000 });
        Assert.True(await tab.Page.EvaluateAsync<bool>("() => window.__stillTheSamePage === true"), "the page reloaded instead of updating live");
        await Assertions.Expect(tab.Page.GetByTestId("rollout-totals")).ToContainTextAsync("3 succeeded");
        await tab.ScreenshotAsync("rollout-completed");

        Assert.All(fleet.Devices, d => Assert.Equal("2.0.0", scenario.Simulation.Truth(d.Id).RunningVersion));
        await using var scope = scenario.Server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FirmwareDbContext>();
        var rollout = await db.Set<Rollout>().SingleAsync();
        Assert.Equal(op.UserName, rollout.CreatedBy);
        // Console actions are audited like API calls.
        Assert.Contains(await db.Set<Nova.Firmware.Domain.Accounts.AuditEntry>().ToListAsync(),
            e => e.Action == "POST /api/v1/rollouts" && e.Actor == op.UserName && e.StatusCode == 201 && e.Detail == "console");
    }

    [Fact(Timeout = 120_000)]
    public async Task Viewer_SeesRollouts_CannotCreateOrActOnThem()
    {
        await using var server = await NovaServer.StartKestrelAsync(settings: FastRollouts);
        var device = await server.AddDeviceAsync(FleetBuilder.Gateway("gw-view"));
        var package = await server.AddPackageAsync(new byte[4096]);
        using var admin = server.CreateAdminClient();
        var created = await admin.PostAsJsonAsync("/api/v1/rollouts", new { name = "for viewers", packageId = package.Id, target = new { deviceIds = new[] { device.Id } } });
        Assert.Equal(System.Net.HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        var (_, viewer) = await server.CreateUserClientAsync("viewer", "console-viewer");
        await using var tab = await ConsolePage.OpenAsync(browser.Browser, server.BaseAddress, output);
        await tab.SignInAsync(viewer.UserName, Accounts.Password);

        await tab.GoAsync("/console/rollouts");
        await Assertions.Expect(tab.Page.GetByText("for viewers")).ToBeVisibleAsync();
        await Assertions.Expect(tab.Page.GetByTestId("no-new-rollout")).ToBeVisibleAsync();
        Assert.Equal(0, await tab.Page.GetByRole(AriaRole.Link, new() { Name = "New rollout" }).CountAsync());

        await tab.GoAsync("/console/rollouts/new");
        await Assertions.Expect(tab.Page.GetByText("Your role does not allow this page.")).ToBeVisibleAsync();
        Assert.Equal(0, await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Create rollout" }).CountAsync());

        await tab.GoAsync($"/console/rollouts/{id}");
        await Assertions.Expect(tab.Page.GetByTestId("rollout-status")).ToHaveTextAsync("ready");
        await Assertions.Expect(tab.Page.GetByTestId("action-start")).ToBeDisabledAsync();
        await Assertions.Expect(tab.Page.GetByTestId("action-cancel")).ToBeDisabledAsync();

        // Below the page, the console's own action refuses a viewer too, and changes nothing.
        var actions = server.Services.GetRequiredService<RolloutActions>();
        var principal = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, viewer.UserName), new Claim(ClaimTypes.Role, Policies.Viewer)], "test", ClaimTypes.Name, ClaimTypes.Role));
        var outcome = await actions.ActAsync(principal, id, "start", CancellationToken.None);
        Assert.Equal(403, outcome.Status);
        var after = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/rollouts/{id}");
        Assert.Equal("ready", after.GetProperty("status").GetString());
    }
}
