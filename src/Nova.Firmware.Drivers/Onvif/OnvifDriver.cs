using Nova.Firmware.Domain.Devices;
using Nova.Firmware.Domain.Drivers;
using Nova.Firmware.Domain.Timeline;
using Nova.Firmware.Protocols.Onvif;
using Nova.Firmware.Protocols.Onvif.Vendor;

namespace Nova.Firmware.Drivers.Onvif;

/// <summary>
/// ONVIF cameras run no update agent: the server pushes. Identity and version come from
/// GetDeviceInformation; what ONVIF has no word for (free space, slots, boot mode, clean-up,
/// recovery) from the camera's vendor extension where it has one, and is otherwise left unknown for
/// the gate to judge. The push itself is in <see cref="OnvifDriver"/>'s Push part.
/// </summary>
public sealed partial class OnvifDriver(OnvifClients clients, Microsoft.Extensions.Options.IOptions<OnvifDriverOptions> options, TimeProvider time) : IDeviceDriver
{
    public DeviceProtocol Protocol => DeviceProtocol.Onvif;

    /// <summary>An image pushed to a camera cannot be called back.</summary>
    public DriverDelivery Delivery => DriverDelivery.Push;

    public string? CannotFlash(Device device) => OnvifClients.AddressProblem(device);

    /// <summary>Only the vendor extension can clear space; whether the camera has one is found out when asked.</summary>
    public bool CanCleanUp(Device device) => device.Address is { } a && Uri.TryCreate(a, UriKind.Absolute, out var uri) && VendorExtensionClient.DeriveBaseUri(uri) is not null;

    public Task<DriverResult<DeviceReading>> IdentifyAsync(Device device, CancellationToken cancellationToken) =>
        ReadAsync(device, withVendorStatus: false, cancellationToken);

    public Task<DriverResult<DeviceReading>> ReadTelemetryAsync(Device device, CancellationToken cancellationToken) =>
        ReadAsync(device, withVendorStatus: true, cancellationToken);

    private async Task<DriverResult<DeviceReading>> ReadAsync(Device device, bool withVendorStatus, CancellationToken ct)
    {
        var (client, failure) = await clients.ForAsync(device, ct);
        if (client is null)
        {
            return new DriverResult<DeviceReading>(failure!.Outcome, failure.Reason);
        }
        try
        {
            var info = await client.GetDeviceInformationAsync(ct);
            var reading = new DeviceReading(time.GetUtcNow(), Fresh: true)
            {
                Vendor = Clean(info.Manufacturer),
                Model = Clean(info.Model),
                Serial = Clean(info.SerialNumber),
                FirmwareVersion = Clean(info.FirmwareVersion),
            };
            if (withVendorStatus && client.CreateVendorExtensionClient() is { } vendor)
            {
                var status = (await vendor.GetStatusAsync(ct)).Status;
                if (status is not null)
                {
                    var inactive = status.Slots.FirstOrDefault(s => !s.Active && s.Valid)?.Version;
                    reading = reading with
                    {
                        HardwareRevision = Clean(status.HwRevision),
                        Soc = Clean(status.Soc),
                        InactiveFirmwareVersion = inactive,
                        FreeBytes = status.Storage.FreeBytes,
                        TotalBytes = status.Storage.TotalBytes,
                        BootMode = Clean(status.Mode),
                        Led = Clean(status.Led),
                        ResetReason = Clean(status.ResetReason),
                        PowerFeed = Clean(status.PowerFeed),
                    };
                }
            }
            return DriverResult<DeviceReading>.Done(reading);
        }
        catch (OnvifException e)
        {
            return OnvifErrors.ToResult<DeviceReading>(e);
        }
    }

    public Task<DriverResult> CleanUpAsync(Device device, long bytesNeeded, CancellationToken cancellationToken) =>
        CallAsync(device, async (client, ct) =>
        {
            if (client.CreateVendorExtensionClient() is not { } vendor || !(await vendor.GetStatusAsync(ct)).HasVendorExtension)
            {
                return DriverResult.NotSupported("ONVIF has no clean-up and this camera has no vendor extension: clear logs and snapshots in the camera's web UI, then retry.");
            }
            var result = await vendor.CleanUpStorageAsync(null, ct);
            return DriverResult.Done($"Freed {result.FreedBytes} bytes; {result.FreeBytes} bytes free.");
        }, cancellationToken);

    public Task<DriverResult> RebootAsync(Device device, CancellationToken cancellationToken) =>
        CallAsync(device, async (client, ct) => DriverResult.Pending(await client.SystemRebootAsync(ct)), cancellationToken);

    /// <summary>GetSystemLog (System), the camera's real log, kept as the pre-flash log.</summary>
    public Task<DriverResult> ReadLogsAsync(Device device, CancellationToken cancellationToken) =>
        CallAsync(device, async (client, ct) => DriverResult.Done((await client.GetSystemLogAsync(OnvifSystemLogType.System, ct)).Text), cancellationToken);

    public Task<DriverResult> TriggerRecoveryAsync(Device device, CancellationToken cancellationToken) =>
        CallAsync(device, async (client, ct) =>
        {
            if (client.CreateVendorExtensionClient() is not { } vendor)
            {
                return DriverResult.NotSupported("ONVIF has no recovery trigger and this camera gives no vendor extension.");
            }
            var result = await vendor.RebootIntoRecoveryAsync(ct);
            return result.Outcome == VendorRecoveryOutcome.Started
                ? DriverResult.Pending("The camera reboots into its recovery partition.")
                : DriverResult.NotSupported("The camera has no usable recovery partition.");
        }, cancellationToken);

    /// <summary>One call to the camera with the client for its address and credentials; the client's typed errors become driver outcomes.</summary>
    private async Task<DriverResult> CallAsync(Device device, Func<OnvifClient, CancellationToken, Task<DriverResult>> call, CancellationToken ct)
    {
        var (client, failure) = await clients.ForAsync(device, ct);
        if (client is null)
        {
            return failure!;
        }
        try
        {
            return await call(client, ct);
        }
        catch (OnvifException e)
        {
            return OnvifErrors.ToResult(e);
        }
    }

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
