using Nova.Firmware.Domain.Common;
using Nova.Firmware.Domain.Packages;

namespace Nova.Firmware.Server.Packages;

/// <summary>A package as the management API shows it. Enums go out as their wire names.</summary>
public sealed record PackageResponse(
    Guid Id, string Vendor, string Version, IReadOnlyList<string> Models, IReadOnlyList<string> HardwareRevisions, string Soc,
    string Kind, string Format, string FileName, long Size, string Sha256, string Sha1, string Md5,
    string? ReleaseNotes, string? Signature, string SignatureCheck, string? SignedBy, DateTimeOffset ImportedAt, string ImportedBy, string ContentUrl)
{
    /// <summary>Set when the stored copy was found not to match its SHA-256: never flashed or served again.</summary>
    public DateTimeOffset? QuarantinedAt { get; init; }
    public string? QuarantineReason { get; init; }

    public static PackageResponse From(FirmwarePackage p) => new(
        p.Id, p.Vendor, p.Version, p.Models, p.HardwareRevisions, p.Soc, p.Kind.ToWire(), p.Format.ToWire(), p.FileName, p.Size,
        p.Sha256, p.Sha1, p.Md5, p.ReleaseNotes, p.Signature, p.SignatureCheck.ToWire(), p.SignedBy, p.ImportedAt, p.ImportedBy, $"/api/v1/packages/{p.Id}/content")
    {
        QuarantinedAt = p.QuarantinedAt,
        QuarantineReason = p.QuarantineReason,
    };
}

public sealed record PackageListResponse(IReadOnlyList<PackageResponse> Items, int Page, int PageSize, int Total);

public sealed record MismatchResponse(string Field, string Reason);

/// <summary>One package the device was checked against and whether it fits.</summary>
public sealed record CompatibilityCheckResponse(PackageResponse Package, bool Fits, IReadOnlyList<MismatchResponse> Mismatches);

/// <summary>
/// The packages that fit a device identity, best first; <c>Recommended</c> names the one to use per kind
/// (highest version). <c>Rejected</c> lists the same vendor's packages that do not fit, with every reason.
/// </summary>
public sealed record CompatiblePackagesResponse(
    DeviceIdentity Device, IReadOnlyDictionary<string, PackageResponse> Recommended,
    IReadOnlyList<PackageResponse> Compatible, IReadOnlyList<CompatibilityCheckResponse> Rejected);
