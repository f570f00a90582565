using Microsoft.EntityFrameworkCore;
using Nova.Firmware.Domain.Packages;

namespace Nova.Firmware.Persistence.Packages;

/// <summary>
/// The catalog's rows. Vendor and model filters ignore case, as the compatibility rule does;
/// the same queries run on SQLite and PostgreSQL.
/// </summary>
public sealed class PackageStore(FirmwareDbContext db)
{
    private IQueryable<FirmwarePackage> Packages => db.Set<FirmwarePackage>().AsNoTracking();

    public async Task AddAsync(FirmwarePackage package, CancellationToken cancellationToken)
    {
        db.Add(package);
        await db.SaveChangesAsync(cancellationToken);
        db.Entry(package).State = EntityState.Detached;
    }

    public Task<FirmwarePackage?> FindAsync(Guid id, CancellationToken cancellationToken) =>
        Packages.SingleOrDefaultAsync(p => p.Id == id, cancellationToken);

    public async Task<PackagePage> ListAsync(PackageQuery query, CancellationToken cancellationToken)
    {
        var packages = Filter(Packages, query.Vendor, query.Kind);
        if (!string.IsNullOrWhiteSpace(query.Model))
        {
            var model = query.Model.Trim().ToLowerInvariant();
            packages = packages.Where(p => p.Models.Any(m => m.ToLower() == model));
        }
        var total = await packages.CountAsync(cancellationToken);
        var items = await packages
            .OrderBy(p => p.Vendor).ThenBy(p => p.Version).ThenBy(p => p.ImportedAt).ThenBy(p => p.Id)
            .Skip((query.Page - 1) * query.PageSize)
            .Take(query.PageSize)
            .ToListAsync(cancellationToken);
        return new PackagePage(items, query.Page, query.PageSize, total);
    }

    /// <summary>
    /// The packages a compatibility check should look at for one vendor (and kind): the database
    /// narrows by vendor, the domain rule decides the rest. A quarantined package is never a candidate.
    /// </summary>
    public Task<List<FirmwarePackage>> CandidatesAsync(string vendor, PackageKind? kind, CancellationToken cancellationToken) =>
        Filter(Packages, vendor, kind).Where(p => p.QuarantinedAt == null).ToListAsync(cancellationToken);

    /// <summary>Deletes the row; returns the deleted package, or null when there was none.</summary>
    public async Task<FirmwarePackage?> DeleteAsync(Guid id, CancellationToken cancellationToken)
    {
        var package = await FindAsync(id, cancellationToken);
        if (package is null)
        {
            return null;
        }
        var deleted = await db.Set<FirmwarePackage>().Where(p => p.Id == id).ExecuteDeleteAsync(cancellationToken);
        return deleted == 0 ? null : package;
    }

    /// <summary>Whether any package still refers to the content with this hash (so its blob must stay).</summary>
    public Task<bool> IsContentReferencedAsync(string sha256, CancellationToken cancellationToken) =>
        Packages.AnyAsync(p => p.Sha256 == sha256, cancellationToken);

    private static IQueryable<FirmwarePackage> Filter(IQueryable<FirmwarePackage> packages, string? vendor, PackageKind? kind)
    {
        if (!string.IsNullOrWhiteSpace(vendor))
        {
            var v = vendor.Trim().ToLowerInvariant();
            packages = packages.Where(p => p.Vendor.ToLower() == v);
        }
        if (kind is { } k)
        {
            packages = packages.Where(p => p.Kind == k);
        }
        return packages;
    }
}
