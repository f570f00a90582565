namespace Nova.Firmware.Protocols.Swu;

/// <summary>A verified SWUpdate bundle: its description, its signature (if any) and the entries read.</summary>
public sealed record SwuBundle(SwDescription Description, byte[]? Signature, IReadOnlyList<CpioEntry> Entries);
