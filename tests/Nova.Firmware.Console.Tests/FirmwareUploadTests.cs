using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Nova.Firmware.Domain.Packages;
using Nova.Firmware.Persistence;
using Nova.Firmware.Server.Tests.Builders;
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
        // Two kinds of hardware in the fleet, for the compatibility matrix: the package fits one.
        await server.AddDeviceAsync(FleetBuilder.Gateway("gw-rev1"));
        await server.AddDeviceAsync(FleetBuilder.Gateway("gw-rev2", revision: "2.0"));
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
        // The matrix: the new package fits GW-100 rev 1.0 and not rev 2.0 (packages never cross revisions).
        var matrix = tab.Page.GetByTestId("compatibility-matrix");
        var row = matrix.GetByRole(AriaRole.Row).Filter(new() { Has = tab.Page.GetByRole(AriaRole.Rowheader, new() { Name = "Acme 2.0.0" }) });
        await Assertions.Expect(matrix.GetByRole(AriaRole.Columnheader)).ToHaveTextAsync([
            new System.Text.RegularExpressions.Regex("^Package$"), new System.Text.RegularExpressions.Regex("^GW-100 rev 1\\.0"), new System.Text.RegularExpressions.Regex("^GW-100 rev 2\\.0")]);
        await Assertions.Expect(row.GetByRole(AriaRole.Cell)).ToHaveTextAsync(["fits", "does not fit"]);
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
        // As a user does it: the button opens the browser's file chooser.
        var chooser = await page.RunAndWaitForFileChooserAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Choose file" }).ClickAsync());
        await chooser.SetFilesAsync(new FilePayload { Name = "gw-100-2.0.0.img", MimeType = "application/octet-stream", Buffer = image });
        await Assertions.Expect(page.GetByTestId("chosen-file")).ToContainTextAsync("gw-100-2.0.0.img");
        await page.GetByRole(AriaRole.Button, new() { Name = "Upload" }).ClickAsync();
    }

    private static async Task<int> PackageCountAsync(NovaServer server)
    {
        await using var scope = server.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<FirmwareDbContext>().Set<FirmwarePackage>().CountAsync();
    }
}
