using System.Xml;
using System.Xml.Linq;
using Nova.Firmware.Simulator.Devices;

namespace Nova.Firmware.Simulator.Faces.Onvif;

/// <summary>
/// ONVIF Device Management for every camera on one listener: <c>POST /onvif/{id}/device_service</c>
/// (SOAP 1.2) and the firmware upload URI it hands out. A device that is not up does not answer.
/// </summary>
public static class OnvifEndpoints
{
    public static IEndpointRouteBuilder MapOnvifEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/onvif/{id}/device_service", HandleAsync).WithTags("ONVIF").DisableAntiforgery();
        app.MapPost("/onvif/{id}/firmware/{ticket}", UploadAsync).WithTags("ONVIF").DisableAntiforgery();
        return app;
    }

    private static async Task HandleAsync(HttpContext http, Simulation sim, DigestAuthenticator digest, FirmwareUploads uploads, string id)
    {
        if (!Reachable(http, sim, id, out var device))
        {
            return;
        }
        XDocument envelope;
        try
        {
            envelope = await XDocument.LoadAsync(http.Request.Body, LoadOptions.None, http.RequestAborted);
        }
        catch (XmlException ex)
        {
            await Soap(http, StatusCodes.Status400BadRequest, OnvifSoap.Fault("Sender", "WellFormed", ex.Message));
            return;
        }
        XNamespace s = OnvifSoap.Soap;
        var operation = envelope.Root?.Element(s + "Body")?.Elements().FirstOrDefault();
        if (operation is null)
        {
            await Soap(http, StatusCodes.Status400BadRequest, OnvifSoap.Fault("Sender", "WellFormed", "No SOAP body."));
            return;
        }
        var name = operation.Name.LocalName;
        // GetSystemDateAndTime is the one call a client makes before it can authenticate.
        if (name != "GetSystemDateAndTime"
            && !digest.Verify(http.Request.Headers.Authorization, http.Request.Method, device.Spec.OnvifUsername, device.Spec.OnvifPassword)
            && !UsernameToken.Verify(envelope.Root?.Element(s + "Header"), device.Spec.OnvifUsername, device.Spec.OnvifPassword))
        {
            http.Response.Headers.WWWAuthenticate = digest.Challenge();
            await Soap(http, StatusCodes.Status401Unauthorized, OnvifSoap.Fault("Sender", "NotAuthorized", "Sender not Authorized"));
            return;
        }
        var spec = device.Spec;
        switch (name)
        {
            case "GetSystemDateAndTime":
                await Soap(http, 200, OnvifSoap.SystemDateAndTime(sim.Clock.GetUtcNow()));
                break;
            case "GetDeviceInformation":
                await Soap(http, 200, OnvifSoap.DeviceInformation(spec.Vendor, spec.Model, device.RunningVersion ?? "", spec.Serial ?? spec.Id, $"{spec.HwRevision}/{spec.Soc}"));
                break;
            case "StartFirmwareUpgrade":
                var ticket = uploads.Issue(device.Id);
                device.Log($"firmware upgrade started: upload ticket {ticket}");
                var uri = $"{http.Request.Scheme}://{http.Request.Host}/onvif/{Uri.EscapeDataString(device.Id)}/firmware/{ticket}";
                var down = TimeSpan.FromSeconds(Math.Ceiling(spec.FlashWriteSeconds + spec.BootSeconds));
                await Soap(http, 200, OnvifSoap.StartFirmwareUpgrade(uri, TimeSpan.FromSeconds(1), down));
                break;
            case "SystemReboot":
                device.Log("SystemReboot requested over ONVIF");
                await Soap(http, 200, OnvifSoap.SystemReboot("Rebooting in 1 seconds"));
                _ = RebootSoonAsync(device);
                break;
            case "GetSystemLog":
                var access = operation.Elements().FirstOrDefault(e => e.Name.LocalName == "LogType")?.Value == "Access";
                await Soap(http, 200, OnvifSoap.SystemLog(access ? [] : device.SystemLog.Lines));
                break;
            default:
                await Soap(http, StatusCodes.Status400BadRequest, OnvifSoap.Fault("Receiver", "ActionNotSupported", $"{name} is not supported by this device."));
                break;
        }
    }

    /// <summary>The HTTP POST of the raw image: 415 for a file the device refuses, 500 for a device-side failure.</summary>
    private static async Task UploadAsync(HttpContext http, Simulation sim, DigestAuthenticator digest, FirmwareUploads uploads, string id, string ticket)
    {
        if (!Reachable(http, sim, id, out var device))
        {
            return;
        }
        if (!uploads.Redeem(id, ticket))
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        using var body = new MemoryStream();
        if (!await ReceiveAsync(http, device, ticket, body))
        {
            return;
        }
        DamageInTransit(device, ticket, body);
        if (!device.TryStage(body.Length))
        {
            device.Log($"upload refused: No space left on device ({body.Length} bytes, {device.Storage.FreeBytes} free)");
            http.Response.StatusCode = StatusCodes.Status500InternalServerError;
            await http.Response.WriteAsync("No space left on device", http.RequestAborted);
            return;
        }
        var image = SimulatedImage.Inspect(body.GetBuffer().AsSpan(0, (int)body.Length));
        if (device.Refuses(image) is { } reason)
        {
            device.Unstage();
            device.Log($"upload refused: {reason}");
            http.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            await http.Response.WriteAsync(reason, http.RequestAborted);
            return;
        }
        http.Response.StatusCode = StatusCodes.Status200OK;
        await http.Response.CompleteAsync();
        // The camera answers, then reprograms and reboots on its own.
        _ = InstallAndRebootAsync(device, image);
    }

    /// <summary>
    /// Takes the whole image, no faster than the camera's link (its bandwidth, in simulated time),
    /// and logs what arrived: a whole image, or an upload that broke off (the sender gone), after
    /// which the camera stays as it was.
    /// </summary>
    private static async Task<bool> ReceiveAsync(HttpContext http, SimulatedDevice device, string ticket, MemoryStream body)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            int read;
            while ((read = await http.Request.Body.ReadAsync(buffer, http.RequestAborted)) > 0)
            {
                body.Write(buffer, 0, read);
                await device.Clock.Delay(TimeSpan.FromSeconds((double)read / Math.Max(1, device.Spec.BandwidthBytesPerSecond)), http.RequestAborted);
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException)
        {
            device.Log($"firmware upload {ticket} broke off after {body.Length} bytes");
            return false;
        }
        device.Log($"firmware upload {ticket} received: {body.Length} bytes");
        return true;
    }

    /// <summary>
    /// The transfer faults of the catalogue, on the camera's side of an upload: what a flaky link or
    /// a proxy does to pushed bytes (a short file, flipped bytes), as the DDI downloader does to pulled ones.
    /// </summary>
    private static void DamageInTransit(SimulatedDevice device, string ticket, MemoryStream body)
    {
        if (device.Faults.TakeTruncation() is { } percent)
        {
            body.SetLength((long)(body.Length * percent / 100));
            device.Log($"firmware upload {ticket} ended early: {body.Length} bytes arrived");
        }
        var flips = device.Faults.TakeCorruption();
        var bytes = body.GetBuffer();
        for (var i = 0; i < flips && body.Length > 0; i++)
        {
            bytes[(int)(body.Length * (i + 1) / (flips + 1))] ^= 0x5A;
        }
    }

    private static async Task InstallAndRebootAsync(SimulatedDevice device, ImageFacts image)
    {
        try
        {
            await device.InstallAsync(image, CancellationToken.None);
            device.Reboot(ResetReason.Update);
        }
        catch (OperationCanceledException)
        {
            // Power went away mid-write; the bootloader decides what comes up.
        }
        catch (InvalidOperationException ex)
        {
            device.Log($"upgrade not started: {ex.Message}");
        }
    }

    private static async Task RebootSoonAsync(SimulatedDevice device)
    {
        await device.Clock.Delay(TimeSpan.FromSeconds(1));
        device.Reboot(ResetReason.User);
    }

    /// <summary>A device that is off, booting, bricked or cut off by a fault simply does not answer.</summary>
    internal static bool Reachable(HttpContext http, Simulation sim, string id, out SimulatedDevice device)
    {
        device = sim.Find(id)!;
        if (device is null)
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return false;
        }
        if (device.Mode != DeviceMode.Normal || device.Faults.Unreachable)
        {
            http.Abort();
            return false;
        }
        return true;
    }

    private static async Task Soap(HttpContext http, int status, string envelope)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = OnvifSoap.ContentType;
        await http.Response.WriteAsync(envelope, http.RequestAborted);
    }
}
