using Microsoft.Playwright;
using Nova.Firmware.Server.Tests.Builders;
using Nova.Firmware.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Nova.Firmware.Console.Tests;

/// <summary>The device list: the server pages, sorts and searches; the grid shows what it answers.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class DevicesPageTests(ConsoleBrowser browser, ITestOutputHelper output)
{
    [Fact(Timeout = 180_000)]
    public async Task Devices_PagedSortedAndSearchedByTheServer()
    {
        await using var server = await NovaServer.StartKestrelAsync();
        for (var i = 1; i <= 120; i++)
        {
            await server.AddDeviceAsync(FleetBuilder.Gateway($"dev-{i:D3}"));
        }
        await using var tab = await ConsolePage.OpenAsync(browser.Browser, server.BaseAddress, output);
        await tab.SignInAsync("admin", NovaServer.AdminPassword);
        await tab.GoAsync("/console/devices");
        var rows = tab.Page.GetByTestId("devices").Locator("tbody").GetByRole(AriaRole.Link);

        await Assertions.Expect(tab.Page.GetByText("120 devices match.")).ToBeVisibleAsync();
        await Assertions.Expect(rows).ToHaveCountAsync(50);
        await Assertions.Expect(rows.First).ToHaveTextAsync("dev-001");

        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Next page" }).ClickAsync();
        await Assertions.Expect(rows.First).ToHaveTextAsync("dev-051");
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Last page" }).ClickAsync();
        await Assertions.Expect(rows).ToHaveCountAsync(20);
        await Assertions.Expect(rows.Last).ToHaveTextAsync("dev-120");

        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "First page" }).ClickAsync();
        // The controller id column is sorted ascending already: one click turns it round.
        var byControllerId = tab.Page.GetByRole(AriaRole.Columnheader, new() { Name = "Controller id" });
        await Assertions.Expect(byControllerId).ToHaveAttributeAsync("aria-sort", "ascending");
        await byControllerId.GetByRole(AriaRole.Button, new() { Name = "Sort" }).ClickAsync();
        await Assertions.Expect(rows.First).ToHaveTextAsync("dev-120");
        await Assertions.Expect(byControllerId).ToHaveAttributeAsync("aria-sort", "descending");

        await tab.Page.GetByLabel("Search").FillAsync("dev-11");
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
        await Assertions.Expect(tab.Page.GetByText("10 devices match.")).ToBeVisibleAsync();
        await Assertions.Expect(rows).ToHaveCountAsync(10);
        await Assertions.Expect(rows.First).ToHaveTextAsync("dev-119");
    }
}
