namespace Nova.Firmware.Engine.Jobs;

/// <summary>
/// When this engine started. Deadlines that measure a device's silence never count time before it:
/// while the server was down it could not hear the device.
/// </summary>
public sealed record EngineStartup(DateTimeOffset StartedAt);
