using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using Nova.Firmware.Persistence;
using Nova.Firmware.Server.Auditing;
using Nova.Firmware.Server.Tests.Infrastructure;
using Nova.Firmware.Server.Tests.Packages;

namespace Nova.Firmware.Server.Tests.Hardening;

/// <summary>Audit tells the truth: an upload the client cut short is on record as failed, never as succeeded.</summary>
public sealed class AbortedUploadAuditTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task Import_ClientGoesAwayMidUpload_AuditedAsFailed(DatabaseProvider provider)
    {
        await using var server = await NovaServer.StartKestrelAsync(provider);
        var form = new PackageUpload(PackageUpload.RandomBytes(200_000)).Build();
        var body = await form.ReadAsByteArrayAsync();

        using (var socket = new TcpClient())
        {
            await socket.ConnectAsync(IPAddress.Loopback, server.BaseAddress.Port);
            var stream = socket.GetStream();
            var auth = Convert.ToBase64String(Encoding.UTF8.GetBytes($"admin:{NovaServer.AdminPassword}"));
            var head = $"POST /api/v1/packages HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Basic {auth}\r\n" +
                       $"Content-Type: {form.Headers.ContentType}\r\nContent-Length: {body.Length + 1_000_000}\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
            await stream.WriteAsync(body.AsMemory(0, body.Length / 2));
            await stream.FlushAsync();
            var until = DateTime.UtcNow.AddSeconds(30);
            while (server.TempFiles().Length == 0 && DateTime.UtcNow < until)
            {
                await Task.Delay(50); // the server is streaming the file part now
            }
        }

        using var admin = new HttpClient { BaseAddress = server.BaseAddress };
        admin.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"admin:{NovaServer.AdminPassword}")));
        var entry = await Eventually.GetAsync(
            async () => (await admin.GetFromJsonAsync<Paged>("/api/v1/audit?action=POST%20/api/v1/packages"))!.Items.FirstOrDefault(),
            e => e is not null, what: "the audit entry of the cut upload");
        Assert.Equal(AuditOutcome.Failed, entry!.Outcome);
        Assert.Equal(AuditMiddleware.StatusClientClosedRequest, entry.StatusCode);
    }

    private sealed record Paged(List<AuditEntryResponse> Items);
}
