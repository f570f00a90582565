using Nova.Firmware.Domain.Drivers;

namespace Nova.Firmware.Engine.Observations;

/// <summary>
/// The one way anything a device says or does reaches the engine. Recording appends the timeline
/// entry, makes the job it concerns due now (so any replica's loop picks it up), and wakes this
/// replica's loop. Changes the caller made in the same scope's database context (the inventory
/// fields a report updates) are saved in the same transaction as the entry.
/// </summary>
public interface IObservationSink
{
    /// <returns>The job the observation was attached to, if any.</returns>
    Task<long?> RecordAsync(DeviceObservation observation, CancellationToken cancellationToken);

    Task RecordAsync(IReadOnlyList<DeviceObservation> observations, CancellationToken cancellationToken);
}
