using System.Text;
using Nova.Firmware.Protocols.Swu;

namespace Nova.Firmware.Protocols.Tests.Swu;

/// <summary>Test data: small, valid bundles built with <see cref="SwuWriter"/>.</summary>
internal static class SwuSamples
{
    public static readonly byte[] Rootfs = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("rootfs-image-content ", 200)));
    public static readonly byte[] Kernel = Encoding.ASCII.GetBytes("kernel-image");

    public static SwuImage[] Images => [new("rootfs.img", Rootfs), new("kernel.img", Kernel, "rawfile", "/boot/kernel")];

    public static string Description(string version = "1.2.3", params string[] hardware) =>
        SwDescriptionText.Create(version, hardware.Length == 0 ? ["1.0"] : hardware, Images);

    public static byte[] Bundle(CpioFormat format = CpioFormat.Newc, byte[]? signature = null) =>
        SwuWriter.Build(Description(), signature, Images.Select(i => (i.FileName, i.Content)), format);

    public static Task<SwuBundle> ReadAsync(byte[] bytes) => SwuBundleReader.ReadAsync(new MemoryStream(bytes));
}
