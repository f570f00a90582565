namespace Nova.Firmware.Domain.Packages;

/// <summary>
/// A package: one firmware file plus its metadata. The file itself lives in content-addressed
/// storage under its SHA-256, which was checked against the vendor's published hash on import.
/// </summary>
public sealed class FirmwarePackage
{
    public Guid Id { get; set; }
    public required string Vendor { get; set; }
    public required string Version { get; set; }
    public List<string> Models { get; set; } = [];
    public List<string> HardwareRevisions { get; set; } = [];
    public required string Soc { get; set; }
    public PackageKind Kind { get; set; }
    public PackageFormat Format { get; set; }
    public required string FileName { get; set; }
    public string? ReleaseNotes { get; set; }
    /// <summary>Lower-case hex SHA-256 of the file: the vendor's published hash, verified.</summary>
    public required string Sha256 { get; set; }
    /// <summary>Lower-case hex SHA-1 and MD5, computed on import: DDI clients (SWUpdate) require sha1.</summary>
    public required string Sha1 { get; set; }
    public required string Md5 { get; set; }
    public long Size { get; set; }
    /// <summary>An optional detached signature supplied with the package (base64), kept for the record.</summary>
    public string? Signature { get; set; }
    /// <summary>Whether the bundle's own signature (sw-description.sig) was verified on import.</summary>
    public SignatureCheck SignatureCheck { get; set; }
    /// <summary>The verified signer's certificate subject; null unless <see cref="SignatureCheck"/> is Verified.</summary>
    public string? SignedBy { get; set; }
    public DateTimeOffset ImportedAt { get; set; }
    /// <summary>
    /// Set when the stored copy no longer matches <see cref="Sha256"/> (found by the recovery ladder
    /// after a checksum failure): a quarantined package is never served or flashed again.
    /// </summary>
    public DateTimeOffset? QuarantinedAt { get; set; }
    public string? QuarantineReason { get; set; }
    public required string ImportedBy { get; set; }
}
