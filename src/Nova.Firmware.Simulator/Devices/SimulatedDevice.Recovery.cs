namespace Nova.Firmware.Simulator.Devices;

// Recovery: the recovery partition pulls the stock image over TFTP (U-Boot style) and writes it;
// the SD card path flashes whatever card the technician inserted.
public sealed partial class SimulatedDevice
{
    private async Task RunRecoveryAsync(CancellationToken power)
    {
        Set(power, DeviceMode.Recovery, LedState.AlternatingRedGreen);
        Log("recovery partition booted");
        var retry = TimeSpan.FromSeconds(Spec.RecoveryRetrySeconds);
        while (true)
        {
            power.ThrowIfCancellationRequested();
            if (Spec.TftpServer is not { } server || StockImageFetcher is not { } fetcher)
            {
                Log("recovery: no TFTP server configured, waiting");
                await _clock.Delay(retry, power);
                continue;
            }
            var file = RecoveryFileName;
            byte[] bytes;
            try
            {
                Log($"recovery: tftpboot {server} {file}");
                bytes = await fetcher.FetchAsync(server, file, power);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !power.IsCancellationRequested)
            {
                Log($"recovery: TFTP error: {ex.Message}; retrying in {retry.TotalSeconds}s");
                await _clock.Delay(retry, power);
                continue;
            }
            var image = SimulatedImage.Inspect(bytes);
            if (!image.Intact || !image.FitsHardware(Spec.Soc, Spec.HwRevision))
            {
                Log($"recovery: stock image {file} rejected (intact {image.Intact}, soc {image.Soc ?? "unknown"}); retrying in {retry.TotalSeconds}s");
                await _clock.Delay(retry, power);
                continue;
            }
            await RewriteAllSlotsAsync(image, power);
            Log($"recovery: stock image {image.Version} written, rebooting");
            Reboot(ResetReason.Update);
            return;
        }
    }

    private async Task FlashFromSdCardAsync(byte[] card, CancellationToken power)
    {
        Log("recovery button held with SD card: flashing from SD");
        var image = SimulatedImage.Inspect(card);
        if (!image.Intact || !image.FitsHardware(Spec.Soc, Spec.HwRevision))
        {
            Log($"SD card image rejected (intact {image.Intact}, soc {image.Soc ?? "unknown"})");
            return;
        }
        Set(power, DeviceMode.Recovery, LedState.BlinkingAmber, DeviceActivity.Writing);
        await RewriteAllSlotsAsync(image, power);
        Log("SD card flash complete: LED solid, remove the card");
    }

    /// <summary>A stock reflash leaves every slot with the stock image and boots the first one.</summary>
    private async Task RewriteAllSlotsAsync(ImageFacts image, CancellationToken power)
    {
        foreach (var slot in Slots)
        {
            await WriteSlotAsync(slot, image, willPanic: false, power);
        }
        lock (_gate)
        {
            Bootloader.BootSlot = Slots[0].Name;
            Bootloader.BootCount = 0;
            Bootloader.UpgradeAvailable = false;
            Bootloader.FellBack = false;
            StagedImage = null;
            Storage.ClearStaged();
        }
    }
}
