using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Nova.Firmware.Domain.Timeline;
using Nova.Firmware.Persistence;
using Nova.Firmware.Server.Tests.Infrastructure;
using Nova.Firmware.Server.Tftp;

namespace Nova.Firmware.Server.Tests.Tftp;

/// <summary>A test server with its TFTP rescue server on 127.0.0.1 and a port the system picks.</summary>
internal static class TftpRescueHost
{
    public static Dictionary<string, string> Settings(params (string Key, string Value)[] extra)
    {
        var settings = new Dictionary<string, string>
        {
            ["Nova:Tftp:Enabled"] = "true",
            ["Nova:Tftp:BindAddress"] = "127.0.0.1",
            ["Nova:Tftp:Port"] = "0",
        };
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }
        return settings;
    }

    public static Task<NovaServer> StartAsync(params (string Key, string Value)[] extra) =>
        NovaServer.StartAsync(settings: Settings(extra));

    public static IPEndPoint TftpEndPoint(this NovaServer server) =>
        server.Services.GetRequiredService<TftpRescueServer>().LocalEndPoint
        ?? throw new InvalidOperationException("The TFTP rescue server is not running.");

    /// <summary>The device's Transfer entries, oldest first.</summary>
    public static async Task<List<TimelineEntry>> TransferEntriesAsync(this NovaServer server, Guid deviceId)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FirmwareDbContext>();
        return await db.Set<TimelineEntry>().AsNoTracking()
            .Where(e => e.DeviceId == deviceId && e.Kind == TimelineEntryKind.Transfer).OrderBy(e => e.Id).ToListAsync();
    }

    /// <summary>Deterministic bytes of any length: different seeds give different images.</summary>
    public static byte[] Image(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
