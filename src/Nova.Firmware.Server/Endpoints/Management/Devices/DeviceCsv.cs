using System.Numerics;
using System.Globalization;
using Nova.Firmware.Domain.Common;

namespace Nova.Firmware.Server.Endpoints.Management.Devices;

/// <summary>
/// The CSV layout of the device import: one column per field, named like the JSON field
/// (nested groups flattened: switchId, port, activeVersion, totalBytes, abSlots, ...).
/// </summary>
public static class DeviceCsv
{
    /// <summary>Column name → the wire path the validator reports errors under.</summary>
    public static readonly IReadOnlyDictionary<string, string> Columns = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["controllerId"] = "controllerId",
        ["name"] = "name",
        ["vendor"] = "vendor",
        ["model"] = "model",
        ["hardwareRevision"] = "hardwareRevision",
        ["soc"] = "soc",
        ["serial"] = "serial",
        ["kind"] = "kind",
        ["site"] = "site",
        ["tags"] = "tags",
        ["protocol"] = "protocol",
        ["address"] = "address",
        ["switchId"] = "powerFeed.switchId",
        ["port"] = "powerFeed.port",
        ["activeVersion"] = "firmware.activeVersion",
        ["inactiveVersion"] = "firmware.inactiveVersion",
        ["totalBytes"] = "storage.totalBytes",
        ["freeBytes"] = "storage.freeBytes",
        ["health"] = "health.status",
        ["abSlots"] = "capabilities.abSlots",
        ["recoveryPartition"] = "capabilities.recoveryPartition",
        ["bootLoopRetry"] = "capabilities.bootLoopRetry",
        ["sdSlot"] = "capabilities.sdSlot",
        ["remoteRecoveryTrigger"] = "capabilities.remoteRecoveryTrigger",
        // Not a device field: the device's DDI target token, provisioned with it (hawkBit's securityToken).
        ["ddiToken"] = "ddiToken",
    };

    public static readonly IReadOnlyList<string> RequiredColumns = ["vendor", "model", "hardwareRevision", "soc", "serial", "kind", "protocol"];

    private static readonly Dictionary<string, string> ColumnOfField =
        Columns.ToDictionary(c => c.Value, c => c.Key, StringComparer.Ordinal);

    /// <summary>The column to blame for an error the validator reported on a wire path.</summary>
    public static string ColumnFor(string field) => ColumnOfField.GetValueOrDefault(field, field);

    /// <summary>Checks the header row; returns the canonical column name of each position.</summary>
    public static IReadOnlyList<string> ReadHeader(IReadOnlyList<string> header, List<FieldError> errors)
    {
        var names = new List<string>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var raw in header)
        {
            var name = raw.Trim();
            var canonical = Columns.Keys.FirstOrDefault(k => k.Equals(name, StringComparison.OrdinalIgnoreCase));
            if (canonical is null)
            {
                errors.Add(new FieldError(name, $"Unknown column '{name}'. Known columns: {string.Join(", ", Columns.Keys)}."));
            }
            else if (!seen.Add(canonical))
            {
                errors.Add(new FieldError(canonical, $"Column '{canonical}' appears more than once."));
            }
            names.Add(canonical ?? name);
        }
        foreach (var required in RequiredColumns.Where(r => !seen.Contains(r)))
        {
            errors.Add(new FieldError(required, $"Required column '{required}' is missing."));
        }
        return names;
    }

    /// <summary>The row's ddiToken cell, or null when the column is absent or the cell empty.</summary>
    public static string? DdiToken(IReadOnlyList<string> columns, IReadOnlyList<string> fields)
    {
        for (var i = 0; i < Math.Min(columns.Count, fields.Count); i++)
        {
            if (columns[i] == "ddiToken")
            {
                return fields[i].Trim() is { Length: > 0 } token ? token : null;
            }
        }
        return null;
    }

    /// <summary>Reads one data row into a request; number and boolean syntax errors go to <paramref name="errors"/>.</summary>
    public static DeviceRequest ReadRow(IReadOnlyList<string> columns, IReadOnlyList<string> fields, List<FieldError> errors)
    {
        if (fields.Count != columns.Count)
        {
            errors.Add(new FieldError("*", $"Expected {columns.Count} fields as in the header, found {fields.Count}."));
        }
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < Math.Min(columns.Count, fields.Count); i++)
        {
            values[columns[i]] = fields[i].Trim();
        }
        string? Text(string column) => values.TryGetValue(column, out var v) && v.Length > 0 ? v : null;

        var tags = Text("tags")?.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var switchId = Text("switchId");
        var port = Number<int>(errors, "port", Text("port"));
        var active = Text("activeVersion");
        var inactive = Text("inactiveVersion");
        var total = Number<long>(errors, "totalBytes", Text("totalBytes"));
        var free = Number<long>(errors, "freeBytes", Text("freeBytes"));
        var health = Text("health");
        return new DeviceRequest(
            Vendor: Text("vendor"), Model: Text("model"), HardwareRevision: Text("hardwareRevision"), Soc: Text("soc"),
            Serial: Text("serial"), Kind: Text("kind"), Protocol: Text("protocol"), ControllerId: Text("controllerId"),
            Name: Text("name"), Site: Text("site"), Tags: tags, Address: Text("address"),
            PowerFeed: switchId is null && port is null ? null : new PowerFeedWire(switchId, port),
            Firmware: active is null && inactive is null ? null : new FirmwareWire(active, inactive),
            Storage: total is null && free is null ? null : new StorageWire(total, free),
            Health: health is null ? null : new HealthRequestWire(health, null),
            Capabilities: new CapabilitiesWire(
                Flag(errors, "abSlots", Text("abSlots")),
                Flag(errors, "recoveryPartition", Text("recoveryPartition")),
                Flag(errors, "bootLoopRetry", Text("bootLoopRetry")),
                Flag(errors, "sdSlot", Text("sdSlot")),
                Flag(errors, "remoteRecoveryTrigger", Text("remoteRecoveryTrigger"))));
    }

    private static T? Number<T>(List<FieldError> errors, string column, string? value) where T : struct, INumber<T>
    {
        if (value is null)
        {
            return null;
        }
        if (T.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed))
        {
            return parsed;
        }
        errors.Add(new FieldError(column, $"'{value}' is not a whole number."));
        return null;
    }

    private static bool? Flag(List<FieldError> errors, string column, string? value)
    {
        switch (value?.ToLowerInvariant())
        {
            case null:
                return null;
            case "true" or "yes" or "1":
                return true;
            case "false" or "no" or "0":
                return false;
            default:
                errors.Add(new FieldError(column, $"'{value}' is not a boolean (true/false, yes/no, 1/0)."));
                return null;
        }
    }
}
