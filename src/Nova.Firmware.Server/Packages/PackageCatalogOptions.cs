using System.ComponentModel.DataAnnotations;

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
}
