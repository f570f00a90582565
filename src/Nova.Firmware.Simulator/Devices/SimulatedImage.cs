using System.Security.Cryptography;
using System.Text;

namespace Nova.Firmware.Simulator.Devices;

/// <summary>
/// The firmware image format simulated devices boot. Like a U-Boot legacy image it carries a small
/// header (target SoC, hardware revisions, version) and the checksum of its payload, which the
/// bootloader checks at boot: a truncated or corrupted image that was written anyway fails to boot,
/// and an image for another SoC or revision is written by a careless UI and then does not start.
/// </summary>
public static class SimulatedImage
{
    public const string Magic = "NOVA-SIM-IMAGE 1";

    /// <summary>Builds an image; the payload is deterministic filler of the given size.</summary>
    public static byte[] Build(string version, string soc, IEnumerable<string> hwRevisions, int payloadBytes = 4096, string vendor = "Nova", string model = "sim")
    {
        var payload = new byte[payloadBytes];
        var seed = Encoding.UTF8.GetBytes($"{vendor}/{model}/{version}/{soc}");
        for (var i = 0; i < payload.Length; i++)
        {
            payload[i] = (byte)(seed[i % seed.Length] ^ (i * 31));
        }
        var header = new StringBuilder()
            .Append(Magic).Append('\n')
            .Append("vendor=").Append(vendor).Append('\n')
            .Append("model=").Append(model).Append('\n')
            .Append("hw-revision=").Append(string.Join(',', hwRevisions)).Append('\n')
            .Append("soc=").Append(soc).Append('\n')
            .Append("version=").Append(version).Append('\n')
            .Append("payload-sha256=").Append(Convert.ToHexStringLower(SHA256.HashData(payload))).Append('\n')
            .Append('\n')
            .ToString();
        return [.. Encoding.UTF8.GetBytes(header), .. payload];
    }

    /// <summary>Reads what a bootloader would learn from the bytes; never throws.</summary>
    public static ImageFacts Inspect(ReadOnlySpan<byte> image)
    {
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(image));
        var end = image.IndexOf("\n\n"u8);
        if (end < 0 || !image.StartsWith(Encoding.UTF8.GetBytes(Magic + "\n")))
        {
            return new ImageFacts(sha256, image.Length, Recognised: false, Intact: false, Version: null, Soc: null, HwRevisions: []);
        }
        var fields = Encoding.UTF8.GetString(image[..end]).Split('\n').Skip(1)
            .Select(line => line.Split('=', 2))
            .Where(parts => parts.Length == 2)
            .ToDictionary(parts => parts[0], parts => parts[1], StringComparer.Ordinal);
        var payload = image[(end + 2)..];
        var intact = fields.TryGetValue("payload-sha256", out var declared)
            && string.Equals(declared, Convert.ToHexStringLower(SHA256.HashData(payload)), StringComparison.Ordinal);
        return new ImageFacts(
            sha256,
            image.Length,
            Recognised: true,
            intact,
            fields.GetValueOrDefault("version"),
            fields.GetValueOrDefault("soc"),
            fields.TryGetValue("hw-revision", out var revisions) ? revisions.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : []);
    }
}

/// <summary>What a device knows about an image it holds: enough to decide whether it boots.</summary>
public sealed record ImageFacts(string Sha256, long Size, bool Recognised, bool Intact, string? Version, string? Soc, IReadOnlyList<string> HwRevisions)
{
    public bool FitsHardware(string soc, string hwRevision) =>
        string.Equals(Soc, soc, StringComparison.OrdinalIgnoreCase) && HwRevisions.Contains(hwRevision, StringComparer.OrdinalIgnoreCase);
}
