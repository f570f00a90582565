using System.Net;
using Nova.Firmware.Simulator.Faces.Recovery;
using Nova.Firmware.Simulator.Faults;
using Nova.Firmware.Simulator.Time;

namespace Nova.Firmware.Simulator.Devices;

/// <summary>
/// One simulated device: identity, storage, flash slots, bootloader, power and LED. Everything it
/// does over time runs as async work under its "power" token, which a power cut cancels: whatever the
/// device was doing (downloading, writing a slot, booting) stops where it was, as on real hardware.
/// </summary>
public sealed partial class SimulatedDevice
{
    private readonly Lock _gate = new();
    private readonly SimulationClock _clock;
    private CancellationTokenSource _power = new();
    private bool _stagedRetryUsed;

    public SimulatedDevice(DeviceSpec spec, SimulationClock clock, PoeSwitch? poeSwitch = null)
    {
        Spec = spec;
        _clock = clock;
        Switch = poeSwitch;
        Storage = new DeviceStorage(spec.StorageCapacityBytes, spec.StorageItems);
        var factory = FactoryImages.For(spec);
        if (spec.Layout == FlashLayout.AB)
        {
            Slots = [new FlashSlot("A"), new FlashSlot("B")];
            Slots[0].Load(factory);
            Slots[1].Load(factory);
        }
        else
        {
            Slots = [new FlashSlot("main")];
            Slots[0].Load(factory);
        }
        if (spec.HasRecoveryPartition)
        {
            RecoveryPartition = new FlashSlot("recovery");
            RecoveryPartition.Load(factory);
        }
        Bootloader = new Bootloader(Slots[0].Name, spec.BootLimit);
        _power.Cancel();
        poeSwitch?.Attach(this);
    }

    public DeviceSpec Spec { get; }
    public string Id => Spec.Id;
    public DeviceFaults Faults { get; } = new();
    public DeviceStorage Storage { get; }
    public IReadOnlyList<FlashSlot> Slots { get; }
    public FlashSlot? RecoveryPartition { get; }
    public Bootloader Bootloader { get; }
    public PoeSwitch? Switch { get; }
    public DeviceLog SystemLog { get; } = new();
    public DeviceLog PreFlashLog { get; } = new();
    public DeviceMode Mode { get; private set; } = DeviceMode.Off;
    public DeviceActivity Activity { get; private set; } = DeviceActivity.Idle;
    public LedState Led { get; private set; } = LedState.Off;
    public ResetReason ResetReason { get; private set; } = ResetReason.PowerOn;
    public bool Healthy { get; private set; }
    /// <summary>How many times a slot write started on this device (tests assert "never flashed twice").</summary>
    public int FlashCount { get; private set; }
    /// <summary>Every boot attempt since the simulation started (the bootloader's counter resets).</summary>
    public int BootAttempts { get; private set; }
    /// <summary>How many boot attempts the last good boot took (1 for a clean boot; more after a boot loop or fallback).</summary>
    public int BootsToLastGoodBoot { get; private set; }
    private int _bootsSinceGood;
    /// <summary>
    /// Why the last failed boot failed, as the bootloader or kernel printed it. Real agents read it
    /// after the fallback from the previous boot's console log (pstore, a bootloader log partition)
    /// and report it with the failure.
    /// </summary>
    public string? LastBootFailure { get; private set; }
    public ImageFacts? StagedImage { get; private set; }
    public PendingUpdate? PendingUpdate { get; set; }
    /// <summary>Actions the agent already closed (kept like SWUpdate's state so an action never runs twice).</summary>
    public HashSet<string> FinishedActions { get; } = [];
    public byte[]? SdCard { get; private set; }
    public bool RecoveryButtonHeld { get; private set; }
    public IStockImageFetcher? StockImageFetcher { get; set; }
    /// <summary>Started each time the device comes up in normal mode (e.g. its DDI agent).</summary>
    public Func<SimulatedDevice, CancellationToken, Task>? WhenUp { get; set; }

    public SimulationClock Clock => _clock;
    public CancellationToken PowerToken
    {
        get
        {
            lock (_gate)
            {
                return _power.Token;
            }
        }
    }

    public FlashSlot ActiveSlot => Slots.First(slot => slot.Name == Bootloader.BootSlot);
    public FlashSlot? InactiveSlot => Slots.FirstOrDefault(slot => slot.Name != Bootloader.BootSlot);

    /// <summary>
    /// The version the device is really running (null when it is not up): that of the slot it last
    /// booted, not the slot the bootloader will try next. Between an install and its reboot the
    /// device still runs the old version.
    /// </summary>
    public string? RunningVersion => Mode == DeviceMode.Normal ? (_bootedSlot ?? ActiveSlot).Version : null;

    private FlashSlot? _bootedSlot;

    public double DrawWatts => Mode switch
    {
        DeviceMode.Off => 0,
        DeviceMode.Booting or DeviceMode.BootLoop => Spec.BootWatts,
        DeviceMode.Normal or DeviceMode.Recovery or DeviceMode.Bricked => Activity == DeviceActivity.Writing ? Spec.WriteWatts : Spec.IdleWatts,
        _ => Spec.IdleWatts,
    };

    public string PowerFeed => Switch is null ? "dc" : $"poe:{Switch.Id}:{Spec.PoePort}";

    /// <summary>U-Boot's default recovery file: the IPv4 address in hex, e.g. C0A80028.img.</summary>
    public string RecoveryFileName => Spec.RecoveryFileName
        ?? (IPAddress.TryParse(Spec.IpAddress, out var ip) ? Convert.ToHexString(ip.GetAddressBytes()) + ".img" : "recovery.img");

    /// <summary>Applies power (first start, or return after a cut).</summary>
    public void PowerOn(ResetReason reason = ResetReason.PowerOn)
    {
        CancellationToken token;
        lock (_gate)
        {
            if (Mode != DeviceMode.Off)
            {
                return;
            }
            _power = new CancellationTokenSource();
            token = _power.Token;
            ResetReason = reason;
            Mode = DeviceMode.Booting;
            Led = LedState.BlinkingGreen;
        }
        Log($"power on (reset reason {Wire.Name(reason)})");
        Switch?.DrawChanged();
        _ = RunBootAsync(token);
    }

    /// <summary>Cuts power: everything in progress stops where it is. Restores it later if asked.</summary>
    public void CutPower(ResetReason reason, TimeSpan? restoreAfter = null)
    {
        CancellationTokenSource cut;
        lock (_gate)
        {
            if (Mode == DeviceMode.Off)
            {
                return;
            }
            cut = _power;
            Mode = DeviceMode.Off;
            Activity = DeviceActivity.Idle;
            Led = LedState.Off;
            Healthy = false;
            ResetReason = reason;
        }
        // A reboot the device chose (after an update, a user's request, its watchdog) is not a power
        // loss, and a real device's log does not say it was.
        Log(reason is ResetReason.PowerLoss or ResetReason.Brownout ? $"power lost ({Wire.Name(reason)})" : $"restarting (reset reason {Wire.Name(reason)})");
        cut.Cancel();
        Switch?.DrawChanged();
        if (restoreAfter is { } delay)
        {
            _ = RestoreLaterAsync(reason, delay);
        }
    }

    /// <summary>A reboot: the current activity stops and the device boots again with this reason.</summary>
    public void Reboot(ResetReason reason)
    {
        CutPower(reason);
        PowerOn(reason);
    }

    public void InsertSdCard(byte[] image)
    {
        if (!Spec.HasSdSlot)
        {
            throw new InvalidOperationException($"{Id} has no SD card slot.");
        }
        SdCard = image;
        Log($"SD card inserted ({image.Length} bytes)");
    }

    public void RemoveSdCard() => SdCard = null;

    /// <summary>The technician holds the recovery button while the device powers on.</summary>
    public void HoldRecoveryButtonAndPowerOn()
    {
        CutPower(ResetReason.User);
        lock (_gate)
        {
            RecoveryButtonHeld = true;
        }
        PowerOn(ResetReason.User);
    }

    public bool ClearStorage(StorageItemKind? kind, out long freed)
    {
        lock (_gate)
        {
            freed = Storage.Clear(kind);
        }
        Log($"storage cleared: {(kind is { } k ? Wire.Name(k) : "all")} ({freed} bytes)");
        return freed > 0;
    }

    public long RemoveStorageItem(string name)
    {
        long freed;
        lock (_gate)
        {
            freed = Storage.Remove(name);
        }
        if (freed > 0)
        {
            Log($"storage item {name} deleted ({freed} bytes)");
        }
        return freed;
    }

    /// <summary>The vendor API's recovery trigger: reboot into the recovery partition.</summary>
    public void RebootIntoRecovery()
    {
        CutPower(ResetReason.User);
        lock (_gate)
        {
            RecoveryButtonHeld = true;
        }
        PowerOn(ResetReason.User);
    }

    public DeviceTruth Truth()
    {
        lock (_gate)
        {
            return new DeviceTruth(
                Id, Spec.Kind, Spec.Vendor, Spec.Model, Spec.HwRevision, Spec.Soc, Spec.Serial ?? Id,
                Mode, Activity, Led, ResetReason, Healthy, RunningVersion, Bootloader.BootSlot,
                Bootloader.BootCount, Bootloader.BootLimit, Bootloader.UpgradeAvailable, Bootloader.FellBack,
                FlashCount, BootAttempts,
                [.. Slots.Select(slot => ToTruth(slot, slot.Name == Bootloader.BootSlot))],
                RecoveryPartition is null ? null : ToTruth(RecoveryPartition, Mode == DeviceMode.Recovery),
                new StorageTruth(Storage.CapacityBytes, Storage.FreeBytes, Storage.StagedBytes, [.. Storage.Items]),
                PowerFeed, SdCard is not null, Faults.Describe(), SystemLog.Lines, PreFlashLog.Lines);
        }
    }

    internal void Log(string line) => SystemLog.Write(_clock.GetUtcNow(), line);

    private static SlotTruth ToTruth(FlashSlot slot, bool active) =>
        new(slot.Name, slot.Version ?? slot.Image?.Version, slot.Image?.Sha256, slot.Valid, slot.WrittenPercent, active);

    private async Task RestoreLaterAsync(ResetReason reason, TimeSpan delay)
    {
        await _clock.Delay(delay);
        PowerOn(reason);
    }

    /// <summary>Changes mode and LED, unless power was cut meanwhile (then the work stops).</summary>
    private void Set(CancellationToken power, DeviceMode mode, LedState led, DeviceActivity activity = DeviceActivity.Idle)
    {
        lock (_gate)
        {
            power.ThrowIfCancellationRequested();
            Mode = mode;
            Led = led;
            Activity = activity;
        }
        Switch?.DrawChanged();
    }
}
