using Nova.Firmware.Domain.Timeline;

namespace Nova.Firmware.Domain.Drivers;

/// <summary>
/// Something a device said or did, as it goes on the device's timeline: DDI feedback and configData,
/// an ONVIF answer or fault, a TFTP transfer, a power event. <see cref="JobId"/> null means "the
/// device's active job, if it has one".
/// </summary>
public sealed record DeviceObservation(Guid DeviceId, TimelineEntryKind Kind, string Message, string? Data = null, long? JobId = null);
