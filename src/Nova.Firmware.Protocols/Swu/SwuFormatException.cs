namespace Nova.Firmware.Protocols.Swu;

/// <summary>
/// The bytes are not a well-formed SWUpdate bundle (or cpio archive). The message is written for the
/// operator who imported the file: it names what is wrong and, where known, the byte offset.
/// </summary>
public sealed class SwuFormatException(string message) : Exception(message);
