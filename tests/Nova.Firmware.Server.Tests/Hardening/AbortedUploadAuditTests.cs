using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Nova.Firmware.Domain.Accounts;
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
            // A reset, not a close: the server sees the client go away (RequestAborted), as when a
            // browser tab or a script is killed mid-upload.
            socket.LingerState = new LingerOption(true, 0);
        }

        using var admin = new HttpClient { BaseAddress = server.BaseAddress };
        admin.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"admin:{NovaServer.AdminPassword}")));
        var entry = await Eventually.GetAsync(
            async () => (await admin.GetFromJsonAsync<Paged>("/api/v1/audit?action=POST%20/api/v1/packages"))!.Items.FirstOrDefault(),
            e => e is not null, what: "the audit entry of the cut upload");
        Assert.Equal(AuditOutcome.Failed, entry!.Outcome);
        // 499 when the server noticed the reset first, 400 when its read of the body failed first.
        Assert.Contains(entry.StatusCode, new[] { AuditMiddleware.StatusClientClosedRequest, StatusCodes.Status400BadRequest });
    }

    [Theory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task AuditMiddleware_ClientGoneAndHandlerAnsweredNothing_RecordsFailed499(DatabaseProvider provider)
    {
        // The handler's view of a cut upload: it gives up and answers nothing (status still 200).
        await using var server = await NovaServer.StartAsync(provider);
        var middleware = new AuditMiddleware(_ => Task.CompletedTask, server.Services.GetRequiredService<IServiceScopeFactory>(), TimeProvider.System,
            NullLogger<AuditMiddleware>.Instance);
        using var gone = new CancellationTokenSource();
        await gone.CancelAsync();
        var context = new DefaultHttpContext { RequestAborted = gone.Token };
        context.Request.Method = "POST";
        context.Request.Path = "/api/v1/packages";

        await middleware.InvokeAsync(context);

        await using var scope = server.Services.CreateAsyncScope();
        var entry = await scope.ServiceProvider.GetRequiredService<FirmwareDbContext>().Set<AuditEntry>().SingleAsync();
        Assert.Equal((AuditOutcome.Failed, AuditMiddleware.StatusClientClosedRequest), (entry.Outcome, entry.StatusCode));
    }

    private sealed record Paged(List<AuditEntryResponse> Items);
}
