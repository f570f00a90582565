using Nova.Firmware.Domain.Common;

namespace Nova.Firmware.Domain.Timeline;

public enum TimelineEntryKind
{
    /// <summary>A device job changed status.</summary>
    [WireName("transition")] Transition = 0,
    /// <summary>A pre-flight check's verdict.</summary>
    [WireName("preflight")] Preflight = 1,
    /// <summary>Something the engine asked of the device (served an action, requested clean-up).</summary>
    [WireName("command")] Command = 2,
    /// <summary>A device's report on an action (DDI feedback, ONVIF response).</summary>
    [WireName("feedback")] Feedback = 3,
    /// <summary>Identity and telemetry the device reported (DDI configData).</summary>
    [WireName("telemetry")] Telemetry = 4,
    /// <summary>An artifact or recovery image transfer seen by the server.</summary>
    [WireName("transfer")] Transfer = 5,
    /// <summary>A power event: the device came back with a power-related reset reason.</summary>
    [WireName("power")] Power = 6,
    [WireName("note")] Note = 7,
    /// <summary>A recovery run moved on the ladder, or a technician acted.</summary>
    [WireName("recovery")] Recovery = 8,
}
