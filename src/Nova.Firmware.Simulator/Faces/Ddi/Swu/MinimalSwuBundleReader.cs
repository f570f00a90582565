using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Nova.Firmware.Simulator.Faces.Ddi.Swu;

/// <summary>
/// Just enough of a <c>.swu</c> reader for the simulator: cpio newc/crc entries, and from
/// sw-description the version, hardware-compatibility and each image's filename and sha256.
/// </summary>
public sealed partial class MinimalSwuBundleReader : ISwuBundleReader
{
    private const int HeaderLength = 110;

    public SwuBundle? Read(ReadOnlyMemory<byte> bundle)
    {
        var files = ReadCpio(bundle);
        if (files is null || !files.TryGetValue("sw-description", out var description))
        {
            return null;
        }
        var text = Encoding.UTF8.GetString(description.Span);
        var version = VersionPattern().Match(text) is { Success: true } v ? v.Groups[1].Value : null;
        var compatibility = CompatibilityPattern().Match(text) is { Success: true } c
            ? [.. QuotedPattern().Matches(c.Groups[1].Value).Select(m => m.Groups[1].Value)]
            : new List<string>();
        var images = ImagePattern().Matches(text)
            .Select(m => m.Groups[1].Value)
            .Select(block => new SwuImage(
                FieldPattern("filename").Match(block).Groups[1].Value,
                FieldPattern("sha256").Match(block) is { Success: true } h ? h.Groups[1].Value : null))
            .Where(image => image.Filename.Length > 0)
            .ToList();
        return new SwuBundle(version, compatibility, images, files);
    }

    private static Dictionary<string, ReadOnlyMemory<byte>>? ReadCpio(ReadOnlyMemory<byte> data)
    {
        var files = new Dictionary<string, ReadOnlyMemory<byte>>(StringComparer.Ordinal);
        var offset = 0;
        while (offset + HeaderLength <= data.Length)
        {
            var header = Encoding.ASCII.GetString(data.Span.Slice(offset, HeaderLength));
            if (header[..6] is not ("070701" or "070702"))
            {
                return null;
            }
            var fileSize = Hex(header, 6);
            var nameSize = Hex(header, 11);
            var nameStart = offset + HeaderLength;
            if (nameStart + nameSize > data.Length)
            {
                return null;
            }
            var name = Encoding.ASCII.GetString(data.Span.Slice(nameStart, Math.Max(0, nameSize - 1)));
            var dataStart = Align(nameStart + nameSize);
            if (name == "TRAILER!!!")
            {
                return files;
            }
            if (dataStart + fileSize > data.Length)
            {
                return null;
            }
            files[name] = data.Slice(dataStart, fileSize);
            offset = Align(dataStart + fileSize);
        }
        return files.Count > 0 ? files : null;
    }

    private static int Hex(string header, int field) =>
        int.Parse(header.AsSpan(6 + (field * 8), 8), NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    private static int Align(int value) => (value + 3) & ~3;

    private static Regex FieldPattern(string name) => new($"{name}\\s*=\\s*\"([^\"]*)\"", RegexOptions.CultureInvariant);

    [GeneratedRegex(@"version\s*=\s*""([^""]*)""")]
    private static partial Regex VersionPattern();

    [GeneratedRegex(@"hardware-compatibility\s*[=:]\s*\[([^\]]*)\]")]
    private static partial Regex CompatibilityPattern();

    [GeneratedRegex(@"""([^""]*)""")]
    private static partial Regex QuotedPattern();

    [GeneratedRegex(@"\{([^{}]*filename[^{}]*)\}")]
    private static partial Regex ImagePattern();
}
