using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Nova.Firmware.Simulator.Tests.Infrastructure;

/// <summary>Builds a SWUpdate bundle (cpio newc: sw-description first, then the image) for tests.</summary>
public static class SwuBuilder
{
    public static byte[] Build(string version, IEnumerable<string> hardwareCompatibility, byte[] image, string imageName = "rootfs.img", string? declaredImageSha256 = null)
    {
        var description = $$"""
            software =
            {
                version = "{{version}}";
                hardware-compatibility = [ {{string.Join(", ", hardwareCompatibility.Select(h => $"\"{h}\""))}} ];
                images: (
                    {
                        filename = "{{imageName}}";
                        type = "raw";
                        device = "/dev/mmcblk0p2";
                        sha256 = "{{declaredImageSha256 ?? Convert.ToHexStringLower(SHA256.HashData(image))}}";
                    }
                );
            }
            """;
        using var cpio = new MemoryStream();
        var ino = 1;
        Entry(cpio, "sw-description", Encoding.UTF8.GetBytes(description), ino++);
        Entry(cpio, imageName, image, ino++);
        Entry(cpio, "TRAILER!!!", [], 0);
        return cpio.ToArray();
    }

    private static void Entry(Stream cpio, string name, byte[] data, int ino)
    {
        var nameBytes = Encoding.ASCII.GetBytes(name + "\0");
        var fields = new[] { ino, 0x81A4, 0, 0, 1, 0, data.Length, 0, 0, 0, 0, nameBytes.Length, 0 };
        var header = "070701" + string.Concat(fields.Select(f => f.ToString("X8", CultureInfo.InvariantCulture)));
        cpio.Write(Encoding.ASCII.GetBytes(header));
        cpio.Write(nameBytes);
        Pad(cpio);
        cpio.Write(data);
        Pad(cpio);
    }

    private static void Pad(Stream cpio)
    {
        while (cpio.Position % 4 != 0)
        {
            cpio.WriteByte(0);
        }
    }
}
