namespace Nova.Firmware.Simulator.Devices;

// Boot: the bootloader counts attempts, falls back to the other slot past the limit, and after a
// boot loop with nothing left to try retries from the staged image, enters recovery, or is bricked.
public sealed partial class SimulatedDevice
{
    private async Task RunBootAsync(CancellationToken power)
    {
        try
        {
            if (TakeRecoveryButton())
            {
                if (SdCard is { } card && Spec.HasSdSlot)
                {
                    await FlashFromSdCardAsync(card, power);
                }
                else if (RecoveryPartition is { Valid: true })
                {
                    await RunRecoveryAsync(power);
                    return;
                }
            }
            await BootLoopAsync(power);
        }
        catch (OperationCanceledException) when (power.IsCancellationRequested)
        {
            // Power went away mid-boot; the next power-on starts over.
        }
    }

    private bool TakeRecoveryButton()
    {
        lock (_gate)
        {
            var held = RecoveryButtonHeld;
            RecoveryButtonHeld = false;
            return held;
        }
    }

    private async Task BootLoopAsync(CancellationToken power)
    {
        while (true)
        {
            FlashSlot? slot = null;
            lock (_gate)
            {
                power.ThrowIfCancellationRequested();
                BootAttempts++;
                _bootsSinceGood++;
                Bootloader.BootCount++;
                if (Bootloader.BootCount <= Bootloader.BootLimit)
                {
                    slot = ActiveSlot;
                }
                else if (Bootloader.UpgradeAvailable && InactiveSlot is { Valid: true } previous)
                {
                    // altbootcmd: give up on the new slot and go back to the one that worked.
                    Bootloader.BootSlot = previous.Name;
                    Bootloader.UpgradeAvailable = false;
                    Bootloader.FellBack = true;
                    Bootloader.BootCount = 1;
                    slot = previous;
                }
            }
            if (slot is null)
            {
                Log($"bootcount {Bootloader.BootCount} > bootlimit {Bootloader.BootLimit}: no slot left to try");
                if (!await AfterBootLoopAsync(power))
                {
                    return;
                }
                continue;
            }
            if (Bootloader.FellBack && Bootloader.BootCount == 1)
            {
                Log($"bootlimit reached: altbootcmd, falling back to slot {slot.Name}");
            }
            Log($"booting slot {slot.Name} (bootcount {Bootloader.BootCount}/{Bootloader.BootLimit})");
            await _clock.Delay(TimeSpan.FromSeconds(Spec.BootSeconds), power);
            if (slot.Boots(Spec))
            {
                GoodBoot(slot, power);
                return;
            }
            var why = WhyNoBoot(slot);
            Log(why);
            lock (_gate)
            {
                LastBootFailure = why;
            }
            lock (_gate)
            {
                power.ThrowIfCancellationRequested();
                ResetReason = ResetReason.Watchdog;
            }
            Set(power, DeviceMode.BootLoop, LedState.BlinkingRed);
        }
    }

    /// <summary>Nothing bootable is left: staged retry, recovery partition, or bricked. True = boot again.</summary>
    private async Task<bool> AfterBootLoopAsync(CancellationToken power)
    {
        if (Spec.RetryFromStagedImage && StagedImage is { } staged && !_stagedRetryUsed)
        {
            _stagedRetryUsed = true;
            Log($"boot loop: retrying from the staged image {staged.Version} in {Spec.StagedRetryDelaySeconds}s");
            Set(power, DeviceMode.BootLoop, LedState.BlinkingRed, DeviceActivity.WaitingToRetry);
            await _clock.Delay(TimeSpan.FromSeconds(Spec.StagedRetryDelaySeconds), power);
            await WriteSlotAsync(ActiveSlot, staged, willPanic: false, power);
            lock (_gate)
            {
                Bootloader.BootCount = 0;
            }
            return true;
        }
        if (RecoveryPartition is { Valid: true })
        {
            await RunRecoveryAsync(power);
            return false;
        }
        Log("no bootable slot, no recovery partition: device bricked (SD card needed)");
        Set(power, DeviceMode.Bricked, LedState.SolidRed);
        return false;
    }

    private void GoodBoot(FlashSlot slot, CancellationToken power)
    {
        lock (_gate)
        {
            power.ThrowIfCancellationRequested();
            // Userspace "mark good": reset the counter, the update is no longer on trial.
            Bootloader.BootCount = 0;
            Bootloader.UpgradeAvailable = false;
            _stagedRetryUsed = false;
            BootsToLastGoodBoot = _bootsSinceGood;
            _bootsSinceGood = 0;
            _bootedSlot = slot;
            if (StagedImage is { } staged && staged.Sha256 == slot.Image?.Sha256)
            {
                StagedImage = null;
                Storage.ClearStaged();
            }
            Healthy = true;
        }
        Set(power, DeviceMode.Normal, LedState.SolidGreen);
        Log($"booted slot {slot.Name}, firmware {slot.Version}: healthy");
        if (WhenUp is { } up)
        {
            _ = RunFaceAsync(up, power);
        }
    }

    private async Task RunFaceAsync(Func<SimulatedDevice, CancellationToken, Task> face, CancellationToken power)
    {
        try
        {
            await face(this, power);
        }
        catch (OperationCanceledException) when (power.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            Log($"agent stopped: {ex.Message}");
        }
    }

    private string WhyNoBoot(FlashSlot slot) => slot switch
    {
        { Image: null } or { WrittenPercent: < 100 } => $"slot {slot.Name}: no valid image (write stopped at {slot.WrittenPercent:0}%), watchdog reset",
        { Image.Recognised: false } => $"slot {slot.Name}: Bad Magic Number, watchdog reset",
        { Image.Intact: false } => $"slot {slot.Name}: Verifying Checksum ... Bad Data CRC, watchdog reset",
        { WillPanic: true } => $"slot {slot.Name}: Kernel panic - not syncing: VFS: Unable to mount root fs, watchdog reset",
        // U-Boot's words when the kernel image is built for another CPU (image_check_arch).
        _ => $"slot {slot.Name}: Unsupported Architecture (image for {slot.Image!.Soc} rev {string.Join('/', slot.Image.HwRevisions)}, board is {Spec.Soc} rev {Spec.HwRevision}), watchdog reset",
    };
}
