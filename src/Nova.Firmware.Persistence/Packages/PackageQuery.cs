using Nova.Firmware.Domain.Packages;

namespace Nova.Firmware.Persistence.Packages;

/// <summary>Filters and paging for listing packages. Page numbers start at 1.</summary>
public sealed record PackageQuery(string? Vendor = null, string? Model = null, PackageKind? Kind = null, int Page = 1, int PageSize = 50);

public sealed record PackagePage(IReadOnlyList<FirmwarePackage> Items, int Page, int PageSize, int Total);
