using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Nova.Firmware.Domain.Packages;
using Nova.Firmware.Persistence;
using Nova.Firmware.Server.Tests.Infrastructure;

namespace Nova.Firmware.Server.Tests.Packages;

/// <summary>What is on disk and in the database after an import: the facts the catalog tests check.</summary>
internal static class CatalogAssertions
{
    public static string[] Blobs(this NovaServer server)
    {
        var root = Path.Combine(server.DataDirectory, "blobs", "sha256");
        return Directory.Exists(root) ? Directory.GetFiles(root, "*", SearchOption.AllDirectories) : [];
    }

    public static string[] TempFiles(this NovaServer server)
    {
        var root = Path.Combine(server.DataDirectory, "blobs", "tmp");
        return Directory.Exists(root) ? Directory.GetFiles(root) : [];
    }

    public static string BlobPath(this NovaServer server, string sha256) =>
        Path.Combine(server.DataDirectory, "blobs", "sha256", sha256[..2], sha256);

    public static async Task<int> PackageCountAsync(this NovaServer server)
    {
        await using var scope = server.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<FirmwareDbContext>().Set<FirmwarePackage>().CountAsync();
    }

    /// <summary>Nothing stored: no blob, no temporary file, no row.</summary>
    public static async Task AssertNothingStoredAsync(this NovaServer server)
    {
        Assert.Empty(server.Blobs());
        Assert.Empty(server.TempFiles());
        Assert.Equal(0, await server.PackageCountAsync());
    }

    /// <summary>For uploads cut short: the server finishes the request on its own schedule, so wait (bounded) for it.</summary>
    public static async Task AssertNothingStoredEventuallyAsync(this NovaServer server)
    {
        var until = DateTime.UtcNow.AddSeconds(30);
        while (server.TempFiles().Length > 0 && DateTime.UtcNow < until)
        {
            await Task.Delay(100);
        }
        await server.AssertNothingStoredAsync();
    }
}
