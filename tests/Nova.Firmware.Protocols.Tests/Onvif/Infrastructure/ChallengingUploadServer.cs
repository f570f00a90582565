using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Nova.Firmware.Simulator.Faces.Onvif;

namespace Nova.Firmware.Protocols.Tests.Onvif.Infrastructure;

/// <summary>
/// A camera whose upload URI, unlike the simulator's, demands HTTP Digest: it answers 401 without
/// reading the body, as an embedded web server does. It counts every request and every body byte.
/// </summary>
public sealed class ChallengingUploadServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private long _bodyBytes;
    private int _uploadRequests;
    private int _unauthenticatedUploads;

    private ChallengingUploadServer(WebApplication app) => _app = app;

    public Uri DeviceService => new(BaseUrl, "onvif/device_service");

    public Uri UploadUri => new(BaseUrl, "upload");

    public Uri BaseUrl { get; private set; } = null!;

    public long BodyBytes => Interlocked.Read(ref _bodyBytes);

    public int UploadRequests => Volatile.Read(ref _uploadRequests);

    public int UnauthenticatedUploads => Volatile.Read(ref _unauthenticatedUploads);

    public static async Task<ChallengingUploadServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var digest = new DigestAuthenticator(TimeProvider.System);
        var app = builder.Build();
        var server = new ChallengingUploadServer(app);
        app.MapPost("/onvif/device_service", async (HttpContext http) =>
        {
            if (!digest.Verify(http.Request.Headers.Authorization, "POST", "admin", "admin"))
            {
                http.Response.StatusCode = 401;
                http.Response.Headers.WWWAuthenticate = digest.Challenge();
                return;
            }

            http.Response.ContentType = OnvifSoap.ContentType;
            await http.Response.WriteAsync(OnvifSoap.DeviceInformation("Optica", "CAM-7", "1.0.0", "SN1", "1.0/armv7"));
        });
        app.MapPost("/upload", async (HttpContext http) =>
        {
            Interlocked.Increment(ref server._uploadRequests);
            if (!digest.Verify(http.Request.Headers.Authorization, "POST", "admin", "admin"))
            {
                // Refused before reading: with Expect: 100-continue the body has not been sent yet.
                Interlocked.Increment(ref server._unauthenticatedUploads);
                http.Response.StatusCode = 401;
                http.Response.Headers.WWWAuthenticate = digest.Challenge();
                return;
            }

            var buffer = new byte[16 * 1024];
            int read;
            while ((read = await http.Request.Body.ReadAsync(buffer)) > 0)
            {
                Interlocked.Add(ref server._bodyBytes, read);
            }

            await http.Response.WriteAsync("OK");
        });
        await app.StartAsync();
        server.BaseUrl = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/");
        return server;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
