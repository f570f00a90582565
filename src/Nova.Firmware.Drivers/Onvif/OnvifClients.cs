using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Nova.Firmware.Domain.Devices;
using Nova.Firmware.Domain.Drivers;
using Nova.Firmware.Protocols.Onvif;

namespace Nova.Firmware.Drivers.Onvif;

/// <summary>
/// One ONVIF client per camera address and credentials, over one shared connection pool: each
/// client keeps its camera's Digest challenge and clock skew, so calls after the first authenticate
/// at once and an upload is never sent into a challenge. Changed credentials give a new client.
/// </summary>
public sealed class OnvifClients(IDeviceCredentialStore credentials, IOptions<OnvifDriverOptions> options, TimeProvider time, ILoggerFactory logs) : IDisposable
{
    private readonly ConcurrentDictionary<string, OnvifClient> _clients = new(StringComparer.Ordinal);
    private readonly SocketsHttpHandler _handler = new()
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        ConnectTimeout = options.Value.RequestTimeout,
        // The camera may refuse before the body: the image is not sent into a 401 or a 415.
        Expect100ContinueTimeout = TimeSpan.FromSeconds(5),
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
    };

    /// <summary>Why the device cannot be called at all (no usable address), or null.</summary>
    public static string? AddressProblem(Device device) =>
        device.Address is not { Length: > 0 } address
            ? "The camera has no ONVIF device service address; set the device's address (e.g. http://10.0.0.20/onvif/device_service)."
            : !Uri.TryCreate(address, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
                ? $"The camera's address '{address}' is not an http or https URL of its ONVIF device service."
                : null;

    /// <summary>The client for this camera with the credentials that apply to it now; a failure says why there is none.</summary>
    public async Task<(OnvifClient? Client, DriverResult? Failure)> ForAsync(Device device, CancellationToken cancellationToken)
    {
        if (AddressProblem(device) is { } problem)
        {
            return (null, DriverResult.NotSupported(problem));
        }
        DeviceCredentials? found;
        try
        {
            found = await credentials.FindAsync(device, cancellationToken);
        }
        catch (DeviceCredentialsUnreadableException e)
        {
            return (null, DriverResult.Unauthorized(e.Message));
        }
        if (found is null)
        {
            return (null, DriverResult.Unauthorized(
                $"No ONVIF credentials for this camera or its site{(device.Site is null ? "" : $" '{device.Site}'")}: set them with PUT /api/v1/devices/{device.Id}/credentials or PUT /api/v1/sites/{{site}}/credentials."));
        }
        var key = $"{device.Address}\n{found.Username}\n{Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(found.Password)))}";
        var client = _clients.GetOrAdd(key, _ => new OnvifClient(_handler, new Uri(device.Address!), new OnvifCredentials(found.Username, found.Password), time,
            options.Value.ForClient(), logs.CreateLogger<OnvifClient>()));
        return (client, null);
    }

    public void Dispose()
    {
        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }
        _handler.Dispose();
    }
}
