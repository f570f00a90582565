using System.CommandLine;

namespace Nova.Firmware.Cli.Commands;

/// <summary><c>novafw rma export DEVICE</c>: the RMA evidence bundle as a zip file.</summary>
public static class RmaCommands
{
    public static Command Create(CommandSet set)
    {
        var rma = new Command("rma", "RMA evidence for the vendor.");
        var device = DeviceRef.Argument();
        var output = new Option<FileInfo?>("--output", "-o") { Description = "Zip file to write (default: the server's name, rma-<controllerId>-<time>.zip)" };
        var export = new Command("export", "Download a device's RMA evidence bundle (identity, firmware history, logs, timeline, diagnosis, photos).") { device, output };
        set.Action(export, async (inv, ct) =>
        {
            var id = await DeviceRef.ResolveAsync(inv, inv.Get(device), ct);
            var temporary = Path.Combine(Directory.GetCurrentDirectory(), $".rma-{Guid.NewGuid():N}.part");
            try
            {
                string? name;
                await using (var file = File.Create(temporary))
                {
                    name = await inv.Api.DownloadAsync($"api/v1/devices/{id}/rma-bundle", file, ct);
                }
                var destination = inv.Get(output)?.FullName ?? Path.Combine(Directory.GetCurrentDirectory(), Path.GetFileName(name ?? $"rma-{id}.zip"));
                File.Move(temporary, destination, overwrite: true);
                inv.Out.Line($"Saved {destination}");
            }
            finally
            {
                File.Delete(temporary);
            }
            return ExitCodes.Ok;
        });
        rma.Subcommands.Add(export);
        return rma;
    }
}
