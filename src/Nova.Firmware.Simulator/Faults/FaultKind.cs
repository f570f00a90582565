using System.Text.Json.Serialization;

namespace Nova.Firmware.Simulator.Faults;

/// <summary>The fault catalogue (docs/simulator.md describes each one).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FaultKind>))]
public enum FaultKind
{
    /// <summary>Power is cut when the slot write reaches <c>percent</c>.</summary>
    [JsonStringEnumMemberName("power-loss")] PowerLoss,
    /// <summary>The device's PoE switch sags now: every device on it resets with reason brownout.</summary>
    [JsonStringEnumMemberName("brownout")] Brownout,
    /// <summary>The next <c>count</c> downloads lose the connection at <c>percent</c>.</summary>
    [JsonStringEnumMemberName("connection-drop")] ConnectionDrop,
    /// <summary>The next download ends cleanly at <c>percent</c> (a short file).</summary>
    [JsonStringEnumMemberName("truncated-transfer")] TruncatedTransfer,
    /// <summary>The next download arrives with <c>count</c> flipped bytes.</summary>
    [JsonStringEnumMemberName("corrupt-bytes")] CorruptBytes,
    /// <summary>The next image written panics at boot (boot loop, then fallback or recovery).</summary>
    [JsonStringEnumMemberName("boot-failure")] BootFailure,
    /// <summary>The device stops checking image hashes and integrity before writing.</summary>
    [JsonStringEnumMemberName("no-verify")] NoVerify,
    /// <summary>The device's UI accepts an image for another SoC or hardware revision.</summary>
    [JsonStringEnumMemberName("accept-wrong-hardware")] AcceptWrongHardware,
    /// <summary>The device does not answer on the network (its faces refuse connections) until cleared.</summary>
    [JsonStringEnumMemberName("unreachable")] Unreachable,
}

/// <summary>A request to inject one fault; <c>percent</c> and <c>count</c> apply where the kind uses them.</summary>
public sealed record FaultRequest(FaultKind Kind, double? Percent = null, int? Count = null);
