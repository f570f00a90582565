using System.CommandLine;
using Nova.Firmware.Cli.Output;

namespace Nova.Firmware.Cli.Commands;

/// <summary>A device named by its id or its controllerId (people know the latter: it is on the label and in the fleet file).</summary>
public static class DeviceRef
{
    public static Argument<string> Argument(string description = "Device id or controllerId") => new("device") { Description = description };

    public static async Task<Guid> ResolveAsync(Invocation inv, string reference, CancellationToken ct)
    {
        if (Guid.TryParse(reference, out var id))
        {
            return id;
        }
        var page = await inv.Api.GetAsync(Query.Path("api/v1/devices", ("q", reference), ("pageSize", "500")), ct);
        var match = page.Items().FirstOrDefault(d => string.Equals(d.S("controllerId"), reference, StringComparison.Ordinal));
        return match.S("id") is { } found
            ? Guid.Parse(found)
            : throw new CliException(ExitCodes.NotFoundOrConflict, $"No device with id or controllerId '{reference}'.");
    }
}
