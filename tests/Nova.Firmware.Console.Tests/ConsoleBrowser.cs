using Microsoft.Playwright;

namespace Nova.Firmware.Console.Tests;

/// <summary>
/// One Chromium for the whole run: Debian's, driven by Playwright's own driver from its package
/// (no browser download). Each test opens its own browser context, so cookies never leak between them.
/// </summary>
public sealed class ConsoleBrowser : IAsyncLifetime
{
    /// <summary>Where Debian installs Chromium; override with NOVA_TEST_CHROMIUM.</summary>
    public static string ChromiumPath => Environment.GetEnvironmentVariable("NOVA_TEST_CHROMIUM") ?? "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = default!;

    /// <summary>Screenshots of every page the tests visit; printed by each test that writes one.</summary>
    public static string ArtifactsDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "console-artifacts");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(ArtifactsDirectory);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            // Root on CI: Chromium's sandbox needs user namespaces it may not get there.
            Args = ["--no-sandbox"],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
        _playwright?.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class ConsoleCollection : ICollectionFixture<ConsoleBrowser>
{
    // One collection: the tests share the browser and run one after another, which suits a
    // machine with two cores shared by several people.
    public const string Name = "console";
}
