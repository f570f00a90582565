using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Nova.Firmware.Console.Tests;

/// <summary>A signed-in (or not yet) browser tab on the console, with the steps tests share.</summary>
public sealed class ConsolePage(IBrowserContext context, IPage page, ITestOutputHelper output) : IAsyncDisposable
{
    public IPage Page { get; } = page;

    /// <summary>What the browser refused under the Content-Security-Policy (it says so on its console).</summary>
    public List<string> CspViolations { get; } = [];

    /// <summary>Every error the page's scripts reported (Blazor's circuit errors among them), for a failing test to print.</summary>
    public List<string> ScriptErrors { get; } = [];

    /// <summary>Every answer to a request for MudBlazor's stylesheet or script: address and status.</summary>
    public List<(string Url, int Status)> ComponentAssets { get; } = [];
    public IBrowserContext Context { get; } = context;

    public static async Task<ConsolePage> OpenAsync(IBrowser browser, Uri server, ITestOutputHelper output)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = server.ToString(), AcceptDownloads = true, ViewportSize = new() { Width = 1280, Height = 900 } });
        context.SetDefaultTimeout(60_000);
        var page = await context.NewPageAsync();
        var tab = new ConsolePage(context, page, output);
        page.Console += (_, message) =>
        {
            if (message.Type != "error")
            {
                return;
            }
            tab.ScriptErrors.Add(message.Text);
            if (message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
            {
                tab.CspViolations.Add($"{page.Url}: {message.Text}");
            }
        };
        page.PageError += (_, error) => tab.ScriptErrors.Add(error);
        page.Response += (_, response) =>
        {
            if (response.Url.Contains("/_content/MudBlazor/", StringComparison.Ordinal))
            {
                tab.ComponentAssets.Add((response.Url, response.Status));
            }
        };
        return tab;
    }

    /// <summary>Fills and sends the sign-in form; does not judge the answer.</summary>
    public async Task SubmitSignInAsync(string user, string password)
    {
        if (!new Uri(Page.Url).AbsolutePath.StartsWith("/console/sign-in", StringComparison.Ordinal))
        {
            await Page.GotoAsync("/console/sign-in");
        }
        await Page.GetByLabel("User name").FillAsync(user);
        await Page.GetByLabel("Password").FillAsync(password);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Page.WaitForLoadStateAsync(LoadState.Load);
    }

    public async Task SignInAsync(string user, string password)
    {
        await SubmitSignInAsync(user, password);
        await WaitInteractiveAsync();
        Assert.Equal(user, await Page.GetByTestId("user-name").InnerTextAsync());
    }

    /// <summary>Goes to a console page and waits until its circuit is up, so its buttons act.</summary>
    public async Task GoAsync(string path)
    {
        await Page.GotoAsync(path);
        await WaitInteractiveAsync();
    }

    public Task WaitInteractiveAsync() =>
        Page.Locator("#console-ready[data-interactive=yes]").WaitForAsync(new() { State = WaitForSelectorState.Attached });

    /// <summary>
    /// What the tab shows when a step did not happen, in words for the test log (a screenshot stays
    /// on the machine that ran it): the address, the alerts, Blazor's error and reconnect banners, and
    /// the scripts' errors.
    /// </summary>
    public async Task<string> DescribeAsync()
    {
        var lines = new List<string> { $"address: {Page.Url}" };
        foreach (var alert in await Page.Locator(".mud-alert").AllInnerTextsAsync())
        {
            lines.Add($"alert: {alert.Trim()}");
        }
        if (await Page.Locator("#blazor-error-ui").IsVisibleAsync())
        {
            lines.Add("Blazor's error banner is showing: the circuit failed.");
        }
        if (await Page.Locator("#components-reconnect-modal").IsVisibleAsync())
        {
            lines.Add("Blazor's reconnect dialog is showing: the circuit's connection was lost.");
        }
        lines.AddRange(ScriptErrors.Select(e => $"script error: {e}"));
        return string.Join(Environment.NewLine, lines);
    }

    public async Task<string> ScreenshotAsync(string name)
    {
        var path = Path.Combine(ConsoleBrowser.ArtifactsDirectory, name + ".png");
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        output.WriteLine($"screenshot: {path}");
        return path;
    }

    /// <summary>Runs axe over the page; returns the serious and critical violations, described.</summary>
    public async Task<IReadOnlyList<string>> SeriousAccessibilityViolationsAsync(string name)
    {
        var results = await Page.RunAxe();
        foreach (var v in results.Violations)
        {
            output.WriteLine($"axe {name}: {v.Impact} {v.Id}: {v.Help} ({v.Nodes.Length} nodes)");
        }
        return [.. results.Violations.Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{name}: {v.Impact} {v.Id}: {v.Help} at {string.Join(" | ", v.Nodes.Take(3).Select(n => n.Html))}")];
    }

    public async ValueTask DisposeAsync() => await Context.DisposeAsync();
}
