using System.Net;
using System.Net.Http.Headers;
using Microsoft.Playwright;
using Nova.Firmware.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Nova.Firmware.Console.Tests;

/// <summary>Users and API keys from the console (admins), and what a lower role sees of them.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class AccountsPageTests(ConsoleBrowser browser, ITestOutputHelper output)
{
    [Fact(Timeout = 120_000)]
    public async Task Admin_CreatesKeyShownOnce_RevokedKeyStopsWorking_ActionsAudited()
    {
        await using var server = await NovaServer.StartKestrelAsync();
        await using var tab = await ConsolePage.OpenAsync(browser.Browser, server.BaseAddress, output);
        await tab.SignInAsync("admin", NovaServer.AdminPassword);

        await tab.GoAsync("/console/accounts");
        await tab.Page.GetByLabel("Key name").FillAsync("ci-script");
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Create key" }).ClickAsync();
        var key = await tab.Page.GetByTestId("new-key").InnerTextAsync();
        using var client = new HttpClient { BaseAddress = server.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/devices")).StatusCode);

        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Revoke key ci-script" }).ClickAsync();
        await Assertions.Expect(tab.Page.GetByTestId("accounts-result")).ToHaveTextAsync("Key ci-script revoked.");
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/devices")).StatusCode);

        // A too-short password is the API's rule, shown as such, and creates nobody.
        await tab.Page.GetByLabel("User name", new() { Exact = true }).FillAsync("short-pw");
        await tab.Page.GetByLabel("Password (12 characters or more)").FillAsync("short");
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Create user" }).ClickAsync();
        await Assertions.Expect(tab.Page.GetByTestId("accounts-result")).ToContainTextAsync("password");
        await Assertions.Expect(tab.Page.GetByTestId("users")).Not.ToContainTextAsync("short-pw");

        await tab.GoAsync("/console/audit");
        await Assertions.Expect(tab.Page.GetByTestId("audit")).ToContainTextAsync("DELETE /api/v1/api-keys/{id}");
    }

    [Fact(Timeout = 120_000)]
    public async Task Operator_NoAccountsOrAudit()
    {
        await using var server = await NovaServer.StartKestrelAsync();
        var (_, op) = await server.CreateUserClientAsync("operator", "console-op2");
        await using var tab = await ConsolePage.OpenAsync(browser.Browser, server.BaseAddress, output);
        await tab.SignInAsync(op.UserName, Accounts.Password);

        Assert.Equal(0, await tab.Page.GetByRole(AriaRole.Link, new() { Name = "Audit log" }).CountAsync());
        await tab.GoAsync("/console/accounts");
        await Assertions.Expect(tab.Page.GetByText("Your role does not allow this page.")).ToBeVisibleAsync();
        Assert.Equal(0, await tab.Page.GetByTestId("users").CountAsync());
    }
}
