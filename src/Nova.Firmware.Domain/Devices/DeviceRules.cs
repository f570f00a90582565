using Nova.Firmware.Domain.Common;

namespace Nova.Firmware.Domain.Devices;

/// <summary>
/// What makes a device record acceptable, whichever way it arrives (API, CSV import, discovery).
/// Field paths are the wire names so callers can report them unchanged.
/// </summary>
public static class DeviceRules
{
    public const int MaxPort = 1024;

    public static IReadOnlyList<FieldError> Check(Device device)
    {
        var errors = new List<FieldError>();
        Required(errors, "controllerId", device.ControllerId, 200);
        Required(errors, "vendor", device.Vendor, 100);
        Required(errors, "model", device.Model, 100);
        Required(errors, "hardwareRevision", device.HardwareRevision, 50);
        Required(errors, "soc", device.Soc, 50);
        Required(errors, "serial", device.Serial, 100);
        // A name is display text: it may span lines (CSV allows quoted line breaks); identifiers may not.
        if (device.Name is { } name && TextRules.TextProblem(name, 200) is { } nameProblem)
        {
            errors.Add(new FieldError("name", nameProblem));
        }
        else if (device.Name is { } shown && shown.Any(c => char.IsControl(c) && c is not ('\r' or '\n' or '\t')))
        {
            errors.Add(new FieldError("name", "Must not contain control characters other than line breaks and tabs."));
        }
        Optional(errors, "site", device.Site, 200);
        Optional(errors, "address", device.Address, 500);
        Optional(errors, "powerFeed.switchId", device.PowerFeed.SwitchId, 100);
        Optional(errors, "firmware.activeVersion", device.Firmware.ActiveVersion, 100);
        Optional(errors, "firmware.inactiveVersion", device.Firmware.InactiveVersion, 100);

        foreach (var tag in device.Tags)
        {
            if (string.IsNullOrWhiteSpace(tag))
            {
                errors.Add(new FieldError("tags", "Tags must not be empty."));
            }
            else if (tag.Length > 100 || tag.Contains(';', StringComparison.Ordinal) || TextRules.LineProblem(tag, 100) is not null)
            {
                errors.Add(new FieldError("tags", "A tag must be at most 100 characters, without ';' or control characters."));
            }
        }
        if (device.Tags.Count > 50)
        {
            errors.Add(new FieldError("tags", "A device has at most 50 tags."));
        }

        if (device.PowerFeed.Port is { } port && (port < 1 || port > MaxPort))
        {
            errors.Add(new FieldError("powerFeed.port", $"Port must be between 1 and {MaxPort}."));
        }
        if (device.PowerFeed.Port is not null && string.IsNullOrWhiteSpace(device.PowerFeed.SwitchId))
        {
            errors.Add(new FieldError("powerFeed.switchId", "A port needs the switch it belongs to."));
        }

        if (device.Storage.TotalBytes is < 0)
        {
            errors.Add(new FieldError("storage.totalBytes", "Must not be negative."));
        }
        if (device.Storage.FreeBytes is < 0)
        {
            errors.Add(new FieldError("storage.freeBytes", "Must not be negative."));
        }
        if (device.Storage is { TotalBytes: { } total, FreeBytes: { } free } && free > total)
        {
            errors.Add(new FieldError("storage.freeBytes", "Free bytes cannot exceed total bytes."));
        }

        if (device.Firmware.InactiveVersion is not null && !device.Capabilities.AbSlots)
        {
            errors.Add(new FieldError("firmware.inactiveVersion", "Only devices with A/B slots have an inactive slot."));
        }
        return errors;
    }

    private static void Required(List<FieldError> errors, string field, string? value, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(new FieldError(field, "Required."));
        }
        else
        {
            Optional(errors, field, value, maxLength);
        }
    }

    private static void Optional(List<FieldError> errors, string field, string? value, int maxLength)
    {
        if (value is not null && TextRules.LineProblem(value, maxLength) is { } problem)
        {
            errors.Add(new FieldError(field, problem));
        }
    }
}
