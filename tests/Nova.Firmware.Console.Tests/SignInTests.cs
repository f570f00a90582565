using Microsoft.Playwright;
using Nova.Firmware.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Nova.Firmware.Console.Tests;

/// <summary>Signing in and out of the console with the product's accounts, under the sign-in throttle.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class SignInTests(ConsoleBrowser browser, ITestOutputHelper output)
{
    [Fact(Timeout = 120_000)]
    public async Task RightPassword_SignsIn_CookieWorksForTheApi_SignOutEndsIt()
    {
        await using var server = await NovaServer.StartKestrelAsync();
        await using var tab = await ConsolePage.OpenAsync(browser.Browser, server.BaseAddress, output);

        // Not signed in: a console page sends the browser to the sign-in page, and remembers where it was going.
        await tab.Page.GotoAsync("/console/devices");
        Assert.Contains("/console/sign-in", tab.Page.Url, StringComparison.Ordinal);

        await tab.SignInAsync("admin", NovaServer.AdminPassword);
        Assert.EndsWith("/console/devices", new Uri(tab.Page.Url).AbsolutePath, StringComparison.Ordinal);
        Assert.Equal("admin", await tab.Page.GetByTestId("user-role").InnerTextAsync());
        var cookie = Assert.Single(await tab.Context.CookiesAsync(), c => c.Name == "nova-console");
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);

        // The same cookie signs the browser's API calls in (downloads, uploads).
        var api = await tab.Page.APIRequest.GetAsync("/api/v1/devices");
        Assert.Equal(200, api.Status);

        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Assertions.Expect(tab.Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/console/sign-in"));
        Assert.DoesNotContain(await tab.Context.CookiesAsync(), c => c.Name == "nova-console");
        Assert.Equal(401, (await tab.Page.APIRequest.GetAsync("/api/v1/devices")).Status);
        await tab.Page.GotoAsync("/console");
        Assert.Contains("/console/sign-in", tab.Page.Url, StringComparison.Ordinal);
    }

    [Fact(Timeout = 120_000)]
    public async Task WrongPassword_Refused_NoCookie()
    {
        await using var server = await NovaServer.StartKestrelAsync();
        await using var tab = await ConsolePage.OpenAsync(browser.Browser, server.BaseAddress, output);

        await tab.SubmitSignInAsync("admin", "not-the-admin-password");

        Assert.Equal("Wrong user name or password.", await tab.Page.GetByTestId("sign-in-error").InnerTextAsync());
        Assert.DoesNotContain(await tab.Context.CookiesAsync(), c => c.Name == "nova-console");
        await tab.Page.GotoAsync("/console");
        Assert.Contains("/console/sign-in", tab.Page.Url, StringComparison.Ordinal);
    }

    [Fact(Timeout = 120_000)]
    public async Task RepeatedFailures_Throttled_EvenTheRightPasswordWaits()
    {
        // Two free failures, then a wait far longer than the test: the third try must be refused unseen.
        await using var server = await NovaServer.StartKestrelAsync(settings: new Dictionary<string, string>
        {
            ["Nova:SignIn:FreeFailuresPerUser"] = "2",
            ["Nova:SignIn:FirstDelay"] = "00:10:00",
            ["Nova:SignIn:MaxDelay"] = "00:10:00",
        });
        var (_, user) = await server.CreateUserClientAsync("operator", "throttled-op");
        await using var tab = await ConsolePage.OpenAsync(browser.Browser, server.BaseAddress, output);

        await tab.SubmitSignInAsync(user.UserName, "wrong-password-1");
        await tab.SubmitSignInAsync(user.UserName, "wrong-password-2");
        await tab.SubmitSignInAsync(user.UserName, Accounts.Password);

        var message = await tab.Page.GetByTestId("sign-in-error").InnerTextAsync();
        Assert.StartsWith("Too many failed sign-ins", message, StringComparison.Ordinal);
        Assert.DoesNotContain(await tab.Context.CookiesAsync(), c => c.Name == "nova-console");
        // The API's Basic sign-in shares the count: the same user is refused there too.
        using var basic = server.CreateBasicClient(user.UserName, Accounts.Password);
        Assert.Equal(System.Net.HttpStatusCode.TooManyRequests, (await basic.GetAsync("/api/v1/devices")).StatusCode);
    }
}
