using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Nova.Firmware.Protocols.Onvif.Auth;
using Nova.Firmware.Protocols.Onvif.Transport;

namespace Nova.Firmware.Protocols.Onvif.Vendor;

/// <summary>
/// The device's own JSON API under <c>/devices/{id}/api/v1</c>, for what ONVIF lacks: storage and
/// its clean-up, slots, power feed, reset reason, logs and a recovery trigger. Same HTTP Digest
/// credentials as ONVIF. Real cameras have no such API; <see cref="GetStatusAsync"/> says so with
/// <see cref="VendorStatusResult.NotPresent"/>.
/// </summary>
public sealed class VendorExtensionClient
{
    private readonly CameraHttp _camera;
    private readonly OnvifClientOptions _options;

    /// <summary>A client over an HttpClient the caller owns; see <see cref="DeriveBaseUri"/> for the base URL.</summary>
    public VendorExtensionClient(HttpClient http, Uri baseUri, OnvifCredentials credentials, TimeProvider? time = null, OnvifClientOptions? options = null, ILogger<VendorExtensionClient>? logger = null)
        : this(new CameraHttp(http ?? throw new ArgumentNullException(nameof(http)), credentials ?? throw new ArgumentNullException(nameof(credentials)), new DigestSessionCache(), time ?? TimeProvider.System, (ILogger?)logger ?? NullLogger.Instance), baseUri, options ?? new OnvifClientOptions())
    {
    }

    internal VendorExtensionClient(CameraHttp camera, Uri baseUri, OnvifClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(baseUri);
        if (!baseUri.IsAbsoluteUri)
        {
            throw new ArgumentException("The vendor extension base URL must be absolute.", nameof(baseUri));
        }

        options.Validate();
        _camera = camera;
        _options = options;
        BaseUri = baseUri.AbsoluteUri.EndsWith('/') ? baseUri : new Uri(baseUri.AbsoluteUri + "/");
    }

    public Uri BaseUri { get; }

    /// <summary>
    /// The vendor API's base URL for a device service URL, on the assumption this vendor makes:
    /// same origin, and the path <c>…/onvif/{id}/device_service</c> maps to
    /// <c>…/devices/{id}/api/v1/</c>. Null for any other shape (e.g. a real camera's
    /// <c>/onvif/device_service</c>), where the base URL has to come from configuration.
    /// </summary>
    public static Uri? DeriveBaseUri(Uri deviceServiceUri)
    {
        ArgumentNullException.ThrowIfNull(deviceServiceUri);
        if (!deviceServiceUri.IsAbsoluteUri)
        {
            return null;
        }

        var segments = deviceServiceUri.AbsolutePath.Split('/');
        var n = segments.Length;
        if (n < 4 || segments[n - 1] != "device_service" || segments[n - 3] != "onvif" || segments[n - 2].Length == 0)
        {
            return null;
        }

        var prefix = string.Join('/', segments[..(n - 3)]);
        return new Uri(deviceServiceUri, $"{prefix}/devices/{segments[n - 2]}/api/v1/");
    }

    /// <summary>Identity, slots, storage, power feed, reset reason, mode, LED; NotPresent on 404.</summary>
    public async Task<VendorStatusResult> GetStatusAsync(CancellationToken cancellationToken = default)
    {
        var reply = await SendAsync("VendorStatus", HttpMethod.Get, "status", _options.MaxResponseBytes, idempotent: true, cancellationToken).ConfigureAwait(false);
        return reply.Status == 404
            ? VendorStatusResult.NotPresent
            : new VendorStatusResult(Json("VendorStatus", reply, VendorJsonContext.Default.VendorDeviceStatus));
    }

    public async Task<VendorStorageStatus> GetStorageAsync(CancellationToken cancellationToken = default)
    {
        var reply = await SendAsync("VendorStorage", HttpMethod.Get, "storage", _options.MaxResponseBytes, idempotent: true, cancellationToken).ConfigureAwait(false);
        return Json("VendorStorage", reply, VendorJsonContext.Default.VendorStorageStatus);
    }

    /// <summary>Deletes stored items of one kind, or all when <paramref name="kind"/> is null.</summary>
    public async Task<VendorCleanupResult> CleanUpStorageAsync(VendorStorageKind? kind = null, CancellationToken cancellationToken = default)
    {
        var query = kind switch
        {
            null => "",
            VendorStorageKind.Log => "?kind=log",
            VendorStorageKind.FirmwareBackup => "?kind=firmware-backup",
            VendorStorageKind.Snapshot => "?kind=snapshot",
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown storage kind."),
        };
        var reply = await SendAsync("VendorStorageCleanup", HttpMethod.Delete, "storage" + query, _options.MaxResponseBytes, idempotent: false, cancellationToken).ConfigureAwait(false);
        return Json("VendorStorageCleanup", reply, VendorJsonContext.Default.VendorCleanupResult);
    }

    /// <summary>Deletes one stored item by name; null when there is no such item.</summary>
    public async Task<VendorCleanupResult?> DeleteStorageItemAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var reply = await SendAsync("VendorStorageItemDelete", HttpMethod.Delete, "storage/items/" + Uri.EscapeDataString(name), _options.MaxResponseBytes, idempotent: false, cancellationToken).ConfigureAwait(false);
        return reply.Status == 404 ? null : Json("VendorStorageItemDelete", reply, VendorJsonContext.Default.VendorCleanupResult);
    }

    public Task<string> GetSystemLogAsync(CancellationToken cancellationToken = default) => TextAsync("VendorSystemLog", "logs/system", cancellationToken);

    /// <summary>The log the device writes before every slot write (identity, slots, free space, power, image).</summary>
    public Task<string> GetPreFlashLogAsync(CancellationToken cancellationToken = default) => TextAsync("VendorPreFlashLog", "logs/pre-flash", cancellationToken);

    /// <summary>Reboots the device into its recovery partition; 409 means it has none. Never retried.</summary>
    public async Task<VendorRecoveryResult> RebootIntoRecoveryAsync(CancellationToken cancellationToken = default)
    {
        const string Operation = "VendorRecovery";
        var reply = await SendAsync(Operation, HttpMethod.Post, "recovery", _options.MaxResponseBytes, idempotent: false, cancellationToken).ConfigureAwait(false);
        return reply.Status switch
        {
            >= 200 and < 300 => new VendorRecoveryResult(VendorRecoveryOutcome.Started, Detail(reply.Body)),
            409 => new VendorRecoveryResult(VendorRecoveryOutcome.NoRecoveryPartition, Detail(reply.Body)),
            _ => throw Failure(Operation, reply, "recovery"),
        };
    }

    private async Task<string> TextAsync(string operation, string path, CancellationToken cancellationToken)
    {
        var reply = await SendAsync(operation, HttpMethod.Get, path, _options.MaxLogBytes, idempotent: true, cancellationToken).ConfigureAwait(false);
        return reply.IsSuccess ? Encoding.UTF8.GetString(reply.Body) : throw Failure(operation, reply, path);
    }

    /// <summary>One call; 401 becomes an authentication failure here, other statuses are left to the caller.</summary>
    private async Task<CameraReply> SendAsync(string operation, HttpMethod method, string path, int maxBytes, bool idempotent, CancellationToken cancellationToken)
    {
        var uri = new Uri(BaseUri, path);
        var request = new CameraRequest(operation, method, uri, static () => null, _options.RequestTimeout, maxBytes);
        var delay = _options.RetryDelay;
        for (var attempt = 1; ; attempt++)
        {
            CameraReply reply;
            try
            {
                reply = await _camera.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (OnvifUnreachableException) when (idempotent && attempt <= _options.ReadRetries)
            {
                await Task.Delay(delay, _camera.Time, cancellationToken).ConfigureAwait(false);
                delay *= 2;
                continue;
            }

            if (reply.Status == (int)HttpStatusCode.Unauthorized)
            {
                throw new OnvifAuthenticationException(operation, uri, reply.Status, OnvifAuthMode.Digest, $"{operation}: authentication failed: {Detail(reply.Body)}");
            }

            return reply;
        }
    }

    private T Json<T>(string operation, CameraReply reply, JsonTypeInfo<T> type)
        where T : class
    {
        if (!reply.IsSuccess)
        {
            throw Failure(operation, reply, operation);
        }

        try
        {
            return JsonSerializer.Deserialize(reply.Body, type)
                ?? throw new OnvifMalformedResponseException(operation, BaseUri, reply.Status, "null instead of a JSON object");
        }
        catch (JsonException ex)
        {
            throw new OnvifMalformedResponseException(operation, BaseUri, reply.Status, $"not the expected JSON: {ex.Message}", Soap.SoapMessage.Excerpt(reply.Body), ex);
        }
    }

    private VendorExtensionException Failure(string operation, CameraReply reply, string path) =>
        new(operation, new Uri(BaseUri, path), reply.Status, Detail(reply.Body));

    /// <summary>An RFC 7807 problem's detail or title, else the body as text.</summary>
    private static string Detail(byte[] body)
    {
        if (body.Length == 0)
        {
            return "";
        }

        try
        {
            if (JsonSerializer.Deserialize(body, VendorJsonContext.Default.VendorProblem) is { } problem && (problem.Detail ?? problem.Title) is { } text)
            {
                return text;
            }
        }
        catch (JsonException)
        {
            // Not a problem document: the text itself is the detail.
        }

        return Soap.SoapMessage.Excerpt(body);
    }
}
