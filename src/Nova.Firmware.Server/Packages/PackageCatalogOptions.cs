using System.ComponentModel.DataAnnotations;
using Nova.Firmware.Protocols.Swu;

namespace Nova.Firmware.Server.Packages;

/// <summary>The "Nova:Packages" configuration section.</summary>
public sealed class PackageCatalogOptions
{
    public const string Section = "Nova:Packages";

    /// <summary>Largest package file accepted by an import, in bytes. Default 8 GiB.</summary>
    [Range(1, long.MaxValue)]
    public long MaxImportBytes { get; set; } = 8L * 1024 * 1024 * 1024;

    /// <summary>Temporary import files older than this are removed at start-up (left by a crash).</summary>
    public TimeSpan StaleTempAge { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// PEM file of the certificates the devices trust (the same file as SWUpdate's <c>-k</c>). When
    /// set, every .swu's sw-description.sig is verified on import and a bundle that fails is refused.
    /// </summary>
    public string? TrustedSignersFile { get; set; }

    /// <summary>Refuse .swu bundles that carry no sw-description.sig. Needs <see cref="TrustedSignersFile"/>.</summary>
    public bool RequireSignedBundles { get; set; }

    /// <summary>The purpose a signer certificate must carry: the devices' SWUpdate <c>--cert-purpose</c>.</summary>
    public SignerPurpose SignerPurpose { get; set; } = SignerPurpose.EmailProtection;
}
