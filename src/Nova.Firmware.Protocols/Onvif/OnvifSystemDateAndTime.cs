namespace Nova.Firmware.Protocols.Onvif;

/// <summary>
/// GetSystemDateAndTime's answer. <see cref="ClockSkew"/> is camera UTC minus our UTC at the middle
/// of the exchange (whole-second precision, as cameras report seconds); null when the camera sent
/// no UTCDateTime.
/// </summary>
public sealed record OnvifSystemDateAndTime(DateTimeOffset? CameraUtc, string? DateTimeType, string? TimeZone, TimeSpan? ClockSkew);
