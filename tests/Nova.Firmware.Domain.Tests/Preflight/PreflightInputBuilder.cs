using Nova.Firmware.Domain.Devices;
using Nova.Firmware.Domain.Packages;
using Nova.Firmware.Domain.Preflight;
using Nova.Firmware.Domain.Tests.Packages;

namespace Nova.Firmware.Domain.Tests.Preflight;

/// <summary>
/// Test data: a gate input that passes every check (healthy C200 seen a minute ago, 256 MiB free for a
/// 10 MiB image, normal boot, intact blob, no power events) until a test changes one thing.
/// </summary>
internal sealed class PreflightInputBuilder
{
    public static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    private readonly Device _device = new()
    {
        Id = Guid.NewGuid(),
        ControllerId = "dev-001",
        Vendor = "Axiom",
        Model = "C200",
        HardwareRevision = "1.0",
        Soc = "CV25",
        Serial = "SN-1",
        Firmware = new FirmwareState { ActiveVersion = "1.0.0" },
        Storage = new StorageState { FreeBytes = 256L << 20 },
        Health = new DeviceHealth { Status = HealthStatus.Healthy, LastSeenAt = Now - TimeSpan.FromMinutes(1) },
    };
    private DeviceReport? _report;
    private FirmwarePackage _package = new PackageBuilder().Version("2.0.0").Build();
    private List<string> _problems = [];
    private FirmwarePackage? _matching;
    private bool _blobIntact = true;
    private DateTimeOffset? _feedEvent;
    private bool _canCleanUp;
    private DeviceContact _contact = DeviceContact.NotAsked;

    public PreflightInputBuilder()
    {
        _package.Size = 10L << 20;
        _report = new DeviceReport { DeviceId = _device.Id, ReportedAt = Now - TimeSpan.FromMinutes(1), BootMode = "normal" };
    }

    public PreflightInputBuilder ImageSize(long bytes) { _package.Size = bytes; return this; }
    public PreflightInputBuilder FreeBytes(long? bytes) { _device.Storage.FreeBytes = bytes; return this; }
    public PreflightInputBuilder CanCleanUp(bool can = true) { _canCleanUp = can; return this; }
    public PreflightInputBuilder Incompatible(string problem, FirmwarePackage? matching = null) { _problems = [problem]; _matching = matching; return this; }
    public PreflightInputBuilder BlobCorrupted() { _blobIntact = false; return this; }
    public PreflightInputBuilder Bundle(SignatureCheck check, string? signedBy = null)
    {
        _package.Format = PackageFormat.Swu;
        _package.SignatureCheck = check;
        _package.SignedBy = signedBy;
        return this;
    }
    public PreflightInputBuilder OwnPowerEvent(TimeSpan ago, string reason = "power-loss")
    {
        _report!.LastPowerEventAt = Now - ago;
        _report.ResetReason = reason;
        return this;
    }
    public PreflightInputBuilder PowerFeed(string? switchId, TimeSpan? lastEventOnFeedAgo)
    {
        _device.PowerFeed = new PowerFeed { SwitchId = switchId, Port = switchId is null ? null : 3 };
        _feedEvent = lastEventOnFeedAgo is { } ago ? Now - ago : null;
        return this;
    }
    public PreflightInputBuilder LastSeen(TimeSpan? ago) { _device.Health.LastSeenAt = ago is { } a ? Now - a : null; return this; }
    public PreflightInputBuilder Health(HealthStatus status) { _device.Health.Status = status; return this; }
    public PreflightInputBuilder BootMode(string? mode) { _report!.BootMode = mode; return this; }
    public PreflightInputBuilder NoReport() { _report = null; return this; }
    public PreflightInputBuilder Contact(DeviceContactOutcome outcome, string? reason = null) { _contact = new DeviceContact(outcome, reason); return this; }

    public PreflightInput Build() => new(_device, _report, _package, _problems, _matching, _blobIntact, _feedEvent, _canCleanUp, Now) { Contact = _contact };
}
