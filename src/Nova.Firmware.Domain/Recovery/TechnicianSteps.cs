using Nova.Firmware.Domain.Devices;
using Nova.Firmware.Domain.Diagnosis;
using Nova.Firmware.Domain.Packages;

namespace Nova.Firmware.Domain.Recovery;

/// <summary>
/// What the steps are built from: the device, its model's profile, the stock image the recovery
/// partition pulls over TFTP, and the SD recovery image (package kind sd-recovery) the catalog has for it.
/// </summary>
public sealed record TechnicianStepsInput(Device Device, RecoveryModelProfile Profile, FailureCause Cause, FirmwarePackage? StockImage, string? StockImageUrl, string? TftpServer,
    FirmwarePackage? SdImage = null, string? SdImageUrl = null);

/// <summary>
/// Writes a technician task's steps from the seed article's "Last resort: SD card reflash" and
/// "If none of this worked", filled in with the model's own button sequence, LED and image.
/// </summary>
public static class TechnicianSteps
{
    public static (List<string> Steps, string WaitForLed, List<string> Photos) Build(TechnicianStepsInput input)
    {
        var d = input.Device;
        var p = input.Profile;
        var button = p.RecoveryButton ?? RecoveryModelProfile.DefaultRecoveryButton;
        var led = p.LedWhenDone ?? RecoveryModelProfile.DefaultLedWhenDone;
        var photos = p.Photos.Count > 0 ? p.Photos.ToList() : RecoveryModelProfile.DefaultPhotos.ToList();
        var steps = new List<string>();
        if (input.Cause == FailureCause.Unreachable)
        {
            var feed = d.PowerFeed.SwitchId is { } sw ? $" (PoE switch {sw}{(d.PowerFeed.Port is { } port ? $", port {port}" : "")})" : "";
            steps.Add($"Check that the device has power and a network link{feed}; power-cycle it once. If it comes back, mark this task done.");
        }
        steps.Add($"Read the model and hardware revision from the sticker: it must say {d.Model}, revision {d.HardwareRevision} ({d.Soc}). If it does not, stop and correct the inventory: no image is flashed across revisions.");
        if (d.Capabilities.SdSlot && input.SdImage is { } image)
        {
            steps.Add($"Download the SD recovery image {image.FileName} ({image.Size} bytes) from {input.SdImageUrl ?? "the package catalog"} and check that its SHA-256 is {image.Sha256} before using it; never use an interrupted download.");
            steps.Add("Write the image to a fresh SD card with Etcher or dd.");
            steps.Add($"Insert the card, then: {button}. The device flashes from the card{(p.LedWhileFlashing is { } busy ? $" (LED {busy})" : "")}.");
            steps.Add($"Wait for the status LED to show {led}, then remove the card.");
        }
        else if (d.Capabilities.RecoveryPartition)
        {
            var source = input.TftpServer is { } tftp ? $" from Nova Firmware's TFTP server ({tftp})" : " (enable Nova Firmware's TFTP server first)";
            steps.Add($"{button} to boot the recovery partition; it pulls the stock image{source} and writes it.");
            steps.Add($"Wait for the status LED to show {led}.");
            if (input.StockImage is null)
            {
                steps.Add($"No stock image for {DeviceIdentity.Of(d)} is in the catalog: import the vendor's recovery image as a stock package first.");
            }
        }
        else if (d.Capabilities.SdSlot)
        {
            steps.Add($"No SD recovery image for {DeviceIdentity.Of(d)} is in the catalog: import the vendor's bootable SD image as an sd-recovery package, write it to a fresh SD card with Etcher or dd, insert the card, then: {button}.");
            steps.Add($"Wait for the status LED to show {led}, then remove the card.");
        }
        else
        {
            steps.Add(input.StockImage is null
                ? $"This device has neither an SD slot nor a recovery partition, and the catalog has no stock image for {DeviceIdentity.Of(d)}: follow the vendor manual's recovery procedure (serial console or USB)."
                : $"This device has neither an SD slot nor a recovery partition: flash {input.StockImage.FileName} (SHA-256 {input.StockImage.Sha256}) by the vendor's serial or USB procedure.");
        }
        steps.Add($"Photograph {string.Join(" and ", photos)} and upload the photos to this task: they go into the RMA bundle.");
        steps.Add("Mark this task done: Nova Firmware then checks that the device boots normally, runs a known version and reports healthy. If nothing brought it back, mark it failed: the RMA bundle is then ready to attach to a vendor ticket.");
        return (steps, led, photos);
    }
}
