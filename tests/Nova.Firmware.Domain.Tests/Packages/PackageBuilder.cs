using Nova.Firmware.Domain.Packages;

namespace Nova.Firmware.Domain.Tests.Packages;

/// <summary>Test data: a package for the Axiom C200 rev 1.0 on an Ambarella CV25 unless told otherwise.</summary>
internal sealed class PackageBuilder
{
    private string _vendor = "Axiom";
    private string _version = "1.0.0";
    private string[] _models = ["C200"];
    private string[] _revisions = ["1.0"];
    private string _soc = "CV25";
    private PackageKind _kind = PackageKind.Update;
    private DateTimeOffset _importedAt = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    public PackageBuilder Vendor(string vendor) { _vendor = vendor; return this; }
    public PackageBuilder Version(string version) { _version = version; return this; }
    public PackageBuilder Models(params string[] models) { _models = models; return this; }
    public PackageBuilder Revisions(params string[] revisions) { _revisions = revisions; return this; }
    public PackageBuilder Soc(string soc) { _soc = soc; return this; }
    public PackageBuilder Kind(PackageKind kind) { _kind = kind; return this; }
    public PackageBuilder ImportedAt(DateTimeOffset at) { _importedAt = at; return this; }

    public FirmwarePackage Build() => new()
    {
        Id = Guid.NewGuid(),
        Vendor = _vendor,
        Version = _version,
        Models = [.. _models],
        HardwareRevisions = [.. _revisions],
        Soc = _soc,
        Kind = _kind,
        FileName = "fw.bin",
        Sha256 = new string('a', 64),
        Sha1 = new string('b', 40),
        Md5 = new string('c', 32),
        Size = 1,
        ImportedAt = _importedAt,
        ImportedBy = "test",
    };

    public static DeviceIdentity Device(string vendor = "Axiom", string model = "C200", string revision = "1.0", string soc = "CV25") =>
        new(vendor, model, revision, soc);
}
