namespace Nova.Firmware.Protocols.Swu;

/// <summary>
/// A verified SWUpdate bundle: its description (parsed, and the exact bytes a signature covers), its
/// signature (if any) and the entries read.
/// </summary>
public sealed record SwuBundle(SwDescription Description, byte[] DescriptionBytes, byte[]? Signature, IReadOnlyList<CpioEntry> Entries);
