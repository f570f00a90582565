using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Nova.Firmware.Domain.Packages;
using Nova.Firmware.Persistence;
using Nova.Firmware.Server.Tests.Infrastructure;
using Nova.Firmware.Simulator.Devices;
using Xunit.Abstractions;

namespace Nova.Firmware.Console.Tests;

/// <summary>Uploading firmware from the console: the catalog's import rules, hash check included.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class FirmwareUploadTests(ConsoleBrowser browser, ITestOutputHelper output)
{
    [Fact(Timeout = 120_000)]
    public async Task Upload_PublishedHashMatches_PackageInCatalog_WrongHashRefused()
    {
        await using var server = await NovaServer.StartKestrelAsync();
        await using var tab = await ConsolePage.OpenAsync(browser.Browser, server.BaseAddress, output);
        await tab.SignInAsync("admin", NovaServer.AdminPassword);
        var image = SimulatedImage.Build("2.0.0", "aarch64", ["1.0"], 256 * 1024, vendor: "Acme", model: "GW-100");
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(image));

        // A hash that is not the file's: refused, and nothing is stored.
        await tab.GoAsync("/console/firmware");
        await FillAsync(tab.Page, image, new string('0', 64));
        await Assertions.Expect(tab.Page.GetByTestId("upload-result")).ToContainTextAsync("Refused");
        Assert.Equal(0, await PackageCountAsync(server));

        await FillAsync(tab.Page, image, sha256);
        await Assertions.Expect(tab.Page.GetByTestId("upload-result")).ToContainTextAsync("Imported", new() { Timeout = 60_000 });
        await Assertions.Expect(tab.Page.GetByTestId("catalog")).ToContainTextAsync("2.0.0");
        await using var scope = server.Services.CreateAsyncScope();
        var stored = await scope.ServiceProvider.GetRequiredService<FirmwareDbContext>().Set<FirmwarePackage>().SingleAsync();
        Assert.Equal(sha256, stored.Sha256);
        Assert.Equal(image.Length, stored.Size);
        Assert.Equal("admin", stored.ImportedBy);
        await tab.ScreenshotAsync("firmware-after-upload");
    }

    private static async Task FillAsync(IPage page, byte[] image, string sha256)
    {
        await page.GetByLabel("Vendor", new() { Exact = true }).FillAsync("Acme");
        await page.GetByLabel("Version", new() { Exact = true }).FillAsync("2.0.0");
        await page.GetByLabel("Models (comma-separated)", new() { Exact = true }).FillAsync("GW-100");
        await page.GetByLabel("Hardware revisions", new() { Exact = true }).FillAsync("1.0");
        await page.GetByLabel("SoC", new() { Exact = true }).FillAsync("aarch64");
        await page.GetByLabel("Published SHA-256", new() { Exact = false }).FillAsync(sha256);
        await page.GetByLabel("File", new() { Exact = true }).SetInputFilesAsync(new FilePayload { Name = "gw-100-2.0.0.img", MimeType = "application/octet-stream", Buffer = image });
        await page.GetByRole(AriaRole.Button, new() { Name = "Upload" }).ClickAsync();
    }

    private static async Task<int> PackageCountAsync(NovaServer server)
    {
        await using var scope = server.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<FirmwareDbContext>().Set<FirmwarePackage>().CountAsync();
    }
}
