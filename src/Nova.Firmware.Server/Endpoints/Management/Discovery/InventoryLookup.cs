using Microsoft.EntityFrameworkCore;
using Nova.Firmware.Domain.Devices;
using Nova.Firmware.Persistence;

namespace Nova.Firmware.Server.Endpoints.Management.Discovery;

/// <summary>A device the inventory holds, as far as discovery needs to recognise it.</summary>
public sealed record KnownDevice(Guid Id, string ControllerId, string? Address);

/// <summary>
/// Recognises cameras the inventory already holds: by device service address (as sent and in
/// canonical form, since addresses typed into the inventory by hand vary) or by controllerId.
/// </summary>
internal static class InventoryLookup
{
    private const int Chunk = 500;

    public static async Task<List<KnownDevice>> FindAsync(FirmwareDbContext db, IEnumerable<string> addresses, IEnumerable<string> controllerIds, CancellationToken cancellationToken)
    {
        var found = new Dictionary<Guid, KnownDevice>();
        var devices = db.Set<Device>().AsNoTracking();
        foreach (var chunk in addresses.SelectMany(AddressForms).Distinct(StringComparer.Ordinal).Chunk(Chunk))
        {
            foreach (var known in await devices.Where(d => d.Address != null && chunk.Contains(d.Address))
                .Select(d => new KnownDevice(d.Id, d.ControllerId, d.Address)).ToListAsync(cancellationToken))
            {
                found[known.Id] = known;
            }
        }
        foreach (var chunk in controllerIds.Distinct(StringComparer.Ordinal).Chunk(Chunk))
        {
            foreach (var known in await devices.Where(d => chunk.Contains(d.ControllerId))
                .Select(d => new KnownDevice(d.Id, d.ControllerId, d.Address)).ToListAsync(cancellationToken))
            {
                found[known.Id] = known;
            }
        }
        return [.. found.Values];
    }

    /// <summary>The device among <paramref name="known"/> at one of <paramref name="addresses"/>, if any.</summary>
    public static KnownDevice? AtAddress(IEnumerable<KnownDevice> known, IEnumerable<string> addresses)
    {
        var forms = addresses.SelectMany(AddressForms).ToHashSet(StringComparer.Ordinal);
        return known.FirstOrDefault(k => k.Address is not null && AddressForms(k.Address).Any(forms.Contains));
    }

    public static KnownDevice? WithControllerId(IEnumerable<KnownDevice> known, IEnumerable<string?> controllerIds)
    {
        var ids = controllerIds.OfType<string>().ToHashSet(StringComparer.Ordinal);
        return known.FirstOrDefault(k => ids.Contains(k.ControllerId));
    }

    /// <summary>The address as written and, when it is a URL, in canonical form (lower-case host, no default port).</summary>
    private static IEnumerable<string> AddressForms(string address)
    {
        var trimmed = address.Trim();
        yield return trimmed;
        if (Uri.TryCreate(trimmed, UriKind.Absolute, out var uri) && uri.AbsoluteUri != trimmed)
        {
            yield return uri.AbsoluteUri;
        }
    }
}
