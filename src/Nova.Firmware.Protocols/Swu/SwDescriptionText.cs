using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Nova.Firmware.Protocols.Swu;

/// <summary>An image to describe in a generated sw-description.</summary>
public sealed record SwuImage(string FileName, byte[] Content, string Type = "raw", string Device = "/dev/update");

/// <summary>Writes a simple flat sw-description (one software version, one set of images).</summary>
public static class SwDescriptionText
{
    public static string Create(string version, IEnumerable<string> hardwareCompatibility, IEnumerable<SwuImage> images)
    {
        var sb = new StringBuilder();
        sb.Append("software =\n{\n");
        sb.Append(CultureInfo.InvariantCulture, $"\tversion = {Quote(version)};\n");
        sb.Append(CultureInfo.InvariantCulture, $"\thardware-compatibility = [ {string.Join(", ", hardwareCompatibility.Select(Quote))} ];\n");
        sb.Append("\timages: (\n");
        sb.Append(string.Join(",\n", images.Select(i =>
            $"\t\t{{\n\t\t\tfilename = {Quote(i.FileName)};\n\t\t\ttype = {Quote(i.Type)};\n\t\t\tdevice = {Quote(i.Device)};\n\t\t\tsha256 = \"{Convert.ToHexStringLower(SHA256.HashData(i.Content))}\";\n\t\t}}")));
        sb.Append("\n\t);\n};\n");
        return sb.ToString();
    }

    private static string Quote(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
