using Nova.Firmware.Domain.Common;
using Nova.Firmware.Domain.Devices;

namespace Nova.Firmware.Server.Endpoints.Management.Devices;

/// <summary>
/// Turns a <see cref="DeviceRequest"/> into a <see cref="Device"/>, or into field errors. The API and
/// the CSV import both go through here, so a device is accepted on the same terms either way.
/// </summary>
public static class DeviceMapping
{
    /// <summary>An empty device to fill with <see cref="Apply"/>.</summary>
    public static Device NewDevice() => new() { ControllerId = "", Vendor = "", Model = "", HardwareRevision = "", Soc = "", Serial = "" };

    /// <summary>Fills <paramref name="device"/> from the request; returns every broken rule (empty when valid).</summary>
    public static IReadOnlyList<FieldError> Apply(DeviceRequest request, Device device)
    {
        var errors = new List<FieldError>();
        device.Vendor = Trim(request.Vendor) ?? "";
        device.Model = Trim(request.Model) ?? "";
        device.HardwareRevision = Trim(request.HardwareRevision) ?? "";
        device.Soc = Trim(request.Soc) ?? "";
        device.Serial = Trim(request.Serial) ?? "";
        // A DDI agent's controllerId is usually its serial; asking for both would just invite typos.
        device.ControllerId = Trim(request.ControllerId) ?? device.Serial;
        device.Name = Trim(request.Name);
        device.Site = Trim(request.Site);
        device.Address = Trim(request.Address);
        device.Tags = (request.Tags ?? []).Select(t => t?.Trim() ?? "").Distinct(StringComparer.Ordinal).ToList();
        device.Kind = ParseEnum<DeviceKind>(errors, "kind", request.Kind, required: true, DeviceKind.Camera);
        device.Protocol = ParseEnum<DeviceProtocol>(errors, "protocol", request.Protocol, required: true, DeviceProtocol.Ddi);
        device.PowerFeed = new PowerFeed { SwitchId = Trim(request.PowerFeed?.SwitchId), Port = request.PowerFeed?.Port };
        device.Firmware = new FirmwareState { ActiveVersion = Trim(request.Firmware?.ActiveVersion), InactiveVersion = Trim(request.Firmware?.InactiveVersion) };
        device.Storage = new StorageState { TotalBytes = request.Storage?.TotalBytes, FreeBytes = request.Storage?.FreeBytes };
        device.Health = new DeviceHealth
        {
            Status = ParseEnum<HealthStatus>(errors, "health.status", request.Health?.Status, required: false, HealthStatus.Unknown),
            // PostgreSQL stores instants in UTC only.
            LastSeenAt = request.Health?.LastSeenAt?.ToUniversalTime(),
        };
        var caps = request.Capabilities;
        device.Capabilities = new DeviceCapabilities
        {
            AbSlots = caps?.AbSlots ?? false,
            RecoveryPartition = caps?.RecoveryPartition ?? false,
            BootLoopRetry = caps?.BootLoopRetry ?? false,
            SdSlot = caps?.SdSlot ?? false,
            RemoteRecoveryTrigger = caps?.RemoteRecoveryTrigger ?? false,
        };
        errors.AddRange(DeviceRules.Check(device));
        return errors;
    }

    public static DeviceResponse ToResponse(this Device d) => new(
        d.Id, d.ControllerId, d.Name, d.Vendor, d.Model, d.HardwareRevision, d.Soc, d.Serial, d.Kind.ToWire(), d.Site, d.Tags,
        d.Protocol.ToWire(), d.Address,
        new PowerFeedWire(d.PowerFeed.SwitchId, d.PowerFeed.Port),
        new FirmwareWire(d.Firmware.ActiveVersion, d.Firmware.InactiveVersion),
        new StorageWire(d.Storage.TotalBytes, d.Storage.FreeBytes),
        new HealthWire(d.Health.Status.ToWire(), d.Health.LastSeenAt),
        new CapabilitiesWire(d.Capabilities.AbSlots, d.Capabilities.RecoveryPartition, d.Capabilities.BootLoopRetry, d.Capabilities.SdSlot, d.Capabilities.RemoteRecoveryTrigger),
        d.CreatedAt, d.UpdatedAt);

    private static string? Trim(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static T ParseEnum<T>(List<FieldError> errors, string field, string? value, bool required, T fallback) where T : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required)
            {
                errors.Add(new FieldError(field, $"Required; one of: {string.Join(", ", WireNames.Names<T>())}."));
            }
            return fallback;
        }
        if (WireNames.TryParse<T>(value, out var parsed))
        {
            return parsed;
        }
        errors.Add(new FieldError(field, $"'{value}' is not one of: {string.Join(", ", WireNames.Names<T>())}."));
        return fallback;
    }
}
