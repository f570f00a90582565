using System.Globalization;
using System.Runtime.CompilerServices;
using System.Xml.Linq;
using Nova.Firmware.Protocols.Onvif.Soap;

namespace Nova.Firmware.Protocols.Onvif;

/// <summary>The read operations: clock, identity, services and capabilities, system log, and reboot.</summary>
public sealed partial class OnvifClient
{
    private static readonly XNamespace Tds = OnvifNamespaces.Device;

    /// <summary>
    /// The camera's clock, without authentication (the one call a client makes before it can
    /// authenticate). Also records <see cref="ClockSkew"/> for UsernameToken times.
    /// </summary>
    public async Task<OnvifSystemDateAndTime> GetSystemDateAndTimeAsync(CancellationToken cancellationToken = default)
    {
        const string Operation = "GetSystemDateAndTime";
        var sent = _time.GetUtcNow();
        var response = await InvokeAsync(Operation, new XElement(Tds + Operation), idempotent: true, authenticate: false, Options.MaxResponseBytes, cancellationToken).ConfigureAwait(false);
        var received = _time.GetUtcNow();
        var info = response.Child("SystemDateAndTime") ?? throw Malformed(Operation, "no SystemDateAndTime");
        DateTimeOffset? cameraUtc = null;
        if (info.Child("UTCDateTime") is { } utc)
        {
            var date = utc.Child("Date") ?? throw Malformed(Operation, "UTCDateTime has no Date");
            var time = utc.Child("Time") ?? throw Malformed(Operation, "UTCDateTime has no Time");
            try
            {
                cameraUtc = new DateTimeOffset(
                    Number(Operation, date, "Year"), Number(Operation, date, "Month"), Number(Operation, date, "Day"),
                    Number(Operation, time, "Hour"), Number(Operation, time, "Minute"), Number(Operation, time, "Second"), TimeSpan.Zero);
            }
            catch (ArgumentOutOfRangeException ex)
            {
                throw Malformed(Operation, "UTCDateTime is not a valid date and time", ex);
            }
        }

        TimeSpan? skew = null;
        if (cameraUtc is { } camera)
        {
            skew = camera - (sent + ((received - sent) / 2));
            _clockSkew = new StrongBox<TimeSpan>(skew.Value);
            OnvifLog.ClockSkewMeasured(_logger, DeviceServiceUri, Math.Round(skew.Value.TotalSeconds));
        }

        return new OnvifSystemDateAndTime(cameraUtc, info.Child("DateTimeType")?.Value.Trim(), info.Child("TimeZone")?.Child("TZ")?.Value.Trim(), skew);
    }

    /// <summary>Manufacturer, model, firmware version, serial number and hardware id.</summary>
    public async Task<OnvifDeviceInformation> GetDeviceInformationAsync(CancellationToken cancellationToken = default)
    {
        const string Operation = "GetDeviceInformation";
        var response = await InvokeAsync(Operation, new XElement(Tds + Operation), idempotent: true, authenticate: true, Options.MaxResponseBytes, cancellationToken).ConfigureAwait(false);
        return new OnvifDeviceInformation(
            Required(Operation, response, "Manufacturer"),
            Required(Operation, response, "Model"),
            Required(Operation, response, "FirmwareVersion"),
            response.Child("SerialNumber")?.Value.Trim(),
            response.Child("HardwareId")?.Value.Trim());
    }

    /// <summary>GetServices (ONVIF 2.0 and later); null when the camera answers ActionNotSupported.</summary>
    public async Task<IReadOnlyList<OnvifService>?> GetServicesAsync(CancellationToken cancellationToken = default)
    {
        const string Operation = "GetServices";
        var request = new XElement(Tds + Operation, new XElement(Tds + "IncludeCapability", "false"));
        XElement response;
        try
        {
            response = await InvokeAsync(Operation, request, idempotent: true, authenticate: true, Options.MaxResponseBytes, cancellationToken).ConfigureAwait(false);
        }
        catch (OnvifFaultException ex) when (ex.Fault.IsActionNotSupported)
        {
            return null;
        }

        var services = new List<OnvifService>();
        foreach (var service in response.Children("Service"))
        {
            var ns = Required(Operation, service, "Namespace");
            var version = service.Child("Version") is { } v ? $"{v.Child("Major")?.Value.Trim()}.{v.Child("Minor")?.Value.Trim()}" : null;
            services.Add(new OnvifService(ns, Address(Operation, Required(Operation, service, "XAddr")), version));
        }

        return services;
    }

    /// <summary>GetCapabilities (category All); null when the camera answers ActionNotSupported.</summary>
    public async Task<OnvifCapabilities?> GetCapabilitiesAsync(CancellationToken cancellationToken = default)
    {
        const string Operation = "GetCapabilities";
        var request = new XElement(Tds + Operation, new XElement(Tds + "Category", "All"));
        XElement response;
        try
        {
            response = await InvokeAsync(Operation, request, idempotent: true, authenticate: true, Options.MaxResponseBytes, cancellationToken).ConfigureAwait(false);
        }
        catch (OnvifFaultException ex) when (ex.Fault.IsActionNotSupported)
        {
            return null;
        }

        var capabilities = response.Child("Capabilities") ?? throw Malformed(Operation, "no Capabilities");
        var addresses = new Dictionary<string, Uri>(StringComparer.Ordinal);
        var categories = capabilities.Elements().Where(e => e.Name.LocalName != "Extension")
            .Concat(capabilities.Child("Extension")?.Elements() ?? []);
        foreach (var category in categories)
        {
            if (category.Child("XAddr")?.Value.Trim() is { Length: > 0 } xaddr)
            {
                addresses.TryAdd(category.Name.LocalName, Address(Operation, xaddr));
            }
        }

        var upgrade = capabilities.Child("Device")?.Child("System")?.Child("FirmwareUpgrade")?.Value.Trim();
        return new OnvifCapabilities(addresses, upgrade is null ? null : upgrade is "true" or "1");
    }

    /// <summary>
    /// Service addresses by namespace: GetServices, else GetCapabilities (mapped to the service
    /// namespaces), else only the device service, for cameras that support neither.
    /// </summary>
    public async Task<OnvifServiceAddresses> GetServiceAddressesAsync(CancellationToken cancellationToken = default)
    {
        if (await GetServicesAsync(cancellationToken).ConfigureAwait(false) is { } services)
        {
            var byNamespace = new Dictionary<string, Uri>(StringComparer.Ordinal);
            foreach (var service in services)
            {
                byNamespace.TryAdd(service.Namespace, service.XAddr);
            }

            return new OnvifServiceAddresses(OnvifServiceSource.GetServices, byNamespace, null);
        }

        var deviceOnly = new Dictionary<string, Uri>(StringComparer.Ordinal) { [OnvifNamespaces.Device] = DeviceServiceUri };
        if (await GetCapabilitiesAsync(cancellationToken).ConfigureAwait(false) is not { } capabilities)
        {
            return new OnvifServiceAddresses(OnvifServiceSource.None, deviceOnly, null);
        }

        var mapped = new Dictionary<string, Uri>(StringComparer.Ordinal);
        foreach (var (category, xaddr) in capabilities.XAddrs)
        {
            mapped.TryAdd(CategoryNamespace(category), xaddr);
        }

        mapped.TryAdd(OnvifNamespaces.Device, DeviceServiceUri);
        return new OnvifServiceAddresses(OnvifServiceSource.GetCapabilities, mapped, capabilities.FirmwareUpgrade);
    }

    /// <summary>
    /// The System or Access log as text. A camera that sends the log as a binary attachment
    /// (tt:Binary, MTOM) gets <see cref="OnvifNotSupportedException"/>: see the docs for why.
    /// </summary>
    public async Task<OnvifSystemLog> GetSystemLogAsync(OnvifSystemLogType type, CancellationToken cancellationToken = default)
    {
        const string Operation = "GetSystemLog";
        var logType = type switch
        {
            OnvifSystemLogType.System => "System",
            OnvifSystemLogType.Access => "Access",
            _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown log type."),
        };
        var request = new XElement(Tds + Operation, new XElement(Tds + "LogType", logType));
        var response = await InvokeAsync(Operation, request, idempotent: true, authenticate: true, Options.MaxLogBytes, cancellationToken).ConfigureAwait(false);
        var log = response.Child("SystemLog") ?? throw Malformed(Operation, "no SystemLog");
        if (log.Child("String") is { } text)
        {
            return new OnvifSystemLog(type, text.Value);
        }

        if (log.Child("Binary") is not null)
        {
            throw new OnvifNotSupportedException(Operation, DeviceServiceUri, "the camera sent the log as a binary (MTOM) attachment; only text logs are read");
        }

        return new OnvifSystemLog(type, "");
    }

    /// <summary>SystemReboot; returns the camera's message (e.g. "Rebooting in 30 seconds"). Never retried.</summary>
    public async Task<string> SystemRebootAsync(CancellationToken cancellationToken = default)
    {
        const string Operation = "SystemReboot";
        var response = await InvokeAsync(Operation, new XElement(Tds + Operation), idempotent: false, authenticate: true, Options.MaxResponseBytes, cancellationToken).ConfigureAwait(false);
        return response.Child("Message")?.Value.Trim() ?? "";
    }

    private int Number(string operation, XElement parent, string localName) =>
        int.TryParse(Required(operation, parent, localName), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw Malformed(operation, $"{parent.Name.LocalName}/{localName} is not a number");

    /// <summary>An address from an answer; relative ones are resolved against the device service URL.</summary>
    private Uri Address(string operation, string text)
    {
        // XAddrs may list several addresses separated by spaces; the first is used.
        var first = text.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "";
        return Uri.TryCreate(DeviceServiceUri, first, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : throw Malformed(operation, $"'{first}' is not an http(s) address");
    }

    private static string CategoryNamespace(string category) => category switch
    {
        "Device" => OnvifNamespaces.Device,
        "Media" => "http://www.onvif.org/ver10/media/wsdl",
        "Events" => "http://www.onvif.org/ver10/events/wsdl",
        "PTZ" => "http://www.onvif.org/ver20/ptz/wsdl",
        "Imaging" => "http://www.onvif.org/ver20/imaging/wsdl",
        "Analytics" => "http://www.onvif.org/ver20/analytics/wsdl",
        "DeviceIO" => "http://www.onvif.org/ver10/deviceIO/wsdl",
        "Recording" => "http://www.onvif.org/ver10/recording/wsdl",
        "Search" => "http://www.onvif.org/ver10/search/wsdl",
        "Replay" => "http://www.onvif.org/ver10/replay/wsdl",
        _ => category,
    };
}
