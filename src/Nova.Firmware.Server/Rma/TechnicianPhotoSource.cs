using Microsoft.EntityFrameworkCore;
using Nova.Firmware.Domain.Recovery;
using Nova.Firmware.Persistence;

namespace Nova.Firmware.Server.Rma;

/// <summary>The photos technicians uploaded to the device's tasks (sticker, LEDs), oldest first, with names made unique.</summary>
public sealed class TechnicianPhotoSource(FirmwareDbContext db) : IRmaPhotoSource
{
    public async Task<IReadOnlyList<RmaPhoto>> ForDeviceAsync(Guid deviceId, CancellationToken cancellationToken)
    {
        var photos = await db.Set<TechnicianPhoto>().AsNoTracking().Where(p => p.DeviceId == deviceId).OrderBy(p => p.Id).ToListAsync(cancellationToken);
        // Two tasks may both upload "sticker.jpg": the photo id keeps each file in the zip.
        return photos.Select(p => new RmaPhoto($"{p.Id}-{p.FileName}", p.ContentType, p.Content, p.Caption)).ToList();
    }
}
