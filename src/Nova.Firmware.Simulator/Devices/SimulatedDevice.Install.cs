namespace Nova.Firmware.Simulator.Devices;

// Install: what every face (DDI agent, ONVIF upload, recovery, SD card) ends in — staging the image,
// the device's own checks, the pre-flash log, and the slot write that a power cut can stop halfway.
public sealed partial class SimulatedDevice
{
    /// <summary>Reserves staging space for an incoming image; false means "No space left on device".</summary>
    public bool TryStage(long bytes)
    {
        lock (_gate)
        {
            return Storage.TryStage(bytes);
        }
    }

    /// <summary>Releases staging space (a download that failed or was refused).</summary>
    public void Unstage()
    {
        lock (_gate)
        {
            if (StagedImage is null)
            {
                Storage.ClearStaged();
            }
        }
    }

    /// <summary>True when this device checks image integrity before writing (spec, unless no-verify is armed).</summary>
    public bool Verifies => Spec.VerifiesImage && !Faults.NoVerify;

    public bool AcceptsWrongHardware => Spec.AcceptsWrongHardware || Faults.AcceptWrongHardware;

    /// <summary>The device's own check of an image before writing; null when it would write it.</summary>
    public string? Refuses(ImageFacts image)
    {
        if (Verifies && !image.Intact)
        {
            return "Image invalid or corrupted. Not installing ...";
        }
        if (image.Recognised && !AcceptsWrongHardware && !image.FitsHardware(Spec.Soc, Spec.HwRevision))
        {
            return "SW not compatible with hardware";
        }
        return null;
    }

    /// <summary>
    /// Writes a staged image into the slot an update goes to (the inactive one on A/B) and arms the
    /// bootloader to try it. The caller reboots. Throws <see cref="OperationCanceledException"/> when
    /// power is cut during the write; the slot is then left partly written.
    /// </summary>
    public async Task<FlashSlot> InstallAsync(ImageFacts image, CancellationToken cancellationToken)
    {
        var power = PowerToken;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(power, cancellationToken);
        FlashSlot target;
        lock (_gate)
        {
            if (Mode != DeviceMode.Normal || Activity == DeviceActivity.Writing)
            {
                throw new InvalidOperationException($"{Id} is not ready to install (mode {Wire.Name(Mode)}).");
            }
            target = Spec.Layout == FlashLayout.AB ? InactiveSlot! : ActiveSlot;
            StagedImage = image;
            Bootloader.FellBack = false;
        }
        WritePreFlashLog(image, target);
        await WriteSlotAsync(target, image, Faults.TakeBootFailure(), linked.Token);
        lock (_gate)
        {
            Bootloader.BootSlot = target.Name;
            Bootloader.UpgradeAvailable = true;
            Bootloader.BootCount = 0;
        }
        return target;
    }

    private void WritePreFlashLog(ImageFacts image, FlashSlot target)
    {
        var now = _clock.GetUtcNow();
        PreFlashLog.Clear();
        PreFlashLog.Write(now, $"device {Id} {Spec.Vendor} {Spec.Model} rev {Spec.HwRevision} soc {Spec.Soc}");
        foreach (var slot in Slots)
        {
            PreFlashLog.Write(now, $"slot {slot.Name}: version {slot.Version ?? "none"} valid {slot.Valid} sha256 {slot.Image?.Sha256}");
        }
        PreFlashLog.Write(now, $"storage: {Storage.FreeBytes} bytes free of {Storage.CapacityBytes}, staged {Storage.StagedBytes}");
        PreFlashLog.Write(now, $"power: {PowerFeed}, last reset {Wire.Name(ResetReason)}");
        PreFlashLog.Write(now, $"image: version {image.Version ?? "unknown"} soc {image.Soc ?? "unknown"} sha256 {image.Sha256} size {image.Size}");
        PreFlashLog.Write(now, $"writing to slot {target.Name}");
    }

    /// <summary>Writes a slot in steps; a power-loss fault cuts power when the write reaches its percent.</summary>
    internal async Task WriteSlotAsync(FlashSlot slot, ImageFacts image, bool willPanic, CancellationToken cancellationToken)
    {
        const int Steps = 20;
        var powerLossAt = Faults.TakePowerLoss();
        lock (_gate)
        {
            cancellationToken.ThrowIfCancellationRequested();
            FlashCount++;
            slot.BeginWrite();
            LastBootFailure = null;
        }
        Log($"writing slot {slot.Name}: {image.Version ?? "unknown image"} ({image.Size} bytes)");
        Set(cancellationToken, Mode == DeviceMode.Booting ? DeviceMode.Booting : Mode, LedState.BlinkingAmber, DeviceActivity.Writing);
        var stepTime = TimeSpan.FromSeconds(Spec.FlashWriteSeconds / Steps);
        for (var step = 0; step <= Steps; step++)
        {
            var percent = step * 100.0 / Steps;
            if (powerLossAt is { } at && percent >= at)
            {
                slot.Progress(at);
                CutPower(ResetReason.PowerLoss, TimeSpan.FromSeconds(Spec.PowerRestoreSeconds));
                cancellationToken.ThrowIfCancellationRequested();
            }
            if (step == Steps)
            {
                break;
            }
            slot.Progress(percent);
            await _clock.Delay(stepTime, cancellationToken);
        }
        lock (_gate)
        {
            cancellationToken.ThrowIfCancellationRequested();
            slot.Load(image, willPanic);
        }
        Set(cancellationToken, Mode, Mode == DeviceMode.Normal ? LedState.SolidGreen : Led);
        Log($"slot {slot.Name} written: {image.Version ?? "unknown image"}, sha256 {image.Sha256}");
    }
}
