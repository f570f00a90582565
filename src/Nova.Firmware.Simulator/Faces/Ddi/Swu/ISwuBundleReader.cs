namespace Nova.Firmware.Simulator.Faces.Ddi.Swu;

/// <summary>
/// Reads a SWUpdate <c>.swu</c> bundle. One small seam so the minimal reader here can be replaced by
/// the shared Protocols parser without touching the agent.
/// </summary>
public interface ISwuBundleReader
{
    /// <summary>Null when the bytes are not a readable bundle.</summary>
    SwuBundle? Read(ReadOnlyMemory<byte> bundle);
}

/// <summary>What the agent needs from sw-description and the bundle's files.</summary>
public sealed record SwuBundle(
    string? Version,
    IReadOnlyList<string> HardwareCompatibility,
    IReadOnlyList<SwuImage> Images,
    IReadOnlyDictionary<string, ReadOnlyMemory<byte>> Files);

public sealed record SwuImage(string Filename, string? Sha256);
