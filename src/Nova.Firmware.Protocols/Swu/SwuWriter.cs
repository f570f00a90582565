using System.Text;

namespace Nova.Firmware.Protocols.Swu;

/// <summary>
/// Writes an SWUpdate bundle as a cpio newc (or crc) archive: <c>sw-description</c> first,
/// <c>sw-description.sig</c> second when there is one, then the images, then the trailer.
/// Used by tests and by the device simulator; the server only reads bundles.
/// </summary>
public sealed class SwuWriter(Stream output, CpioFormat format = CpioFormat.Newc)
{
    private const uint RegularFileMode = 0x81A4; // S_IFREG | 0644
    private uint _inode = 1;
    private bool _finished;

    /// <summary>Writes a whole bundle in the order SWUpdate requires.</summary>
    public static async Task WriteAsync(Stream output, string swDescription, byte[]? signature, IEnumerable<(string Name, byte[] Content)> images,
        CpioFormat format = CpioFormat.Newc, CancellationToken cancellationToken = default)
    {
        var writer = new SwuWriter(output, format);
        await writer.WriteEntryAsync(SwuBundleReader.DescriptionName, Encoding.UTF8.GetBytes(swDescription), cancellationToken);
        if (signature is not null)
        {
            await writer.WriteEntryAsync(SwuBundleReader.SignatureName, signature, cancellationToken);
        }
        foreach (var (name, content) in images)
        {
            await writer.WriteEntryAsync(name, content, cancellationToken);
        }
        await writer.FinishAsync(cancellationToken);
    }

    /// <summary>The same, into a byte array (for small bundles in tests).</summary>
    public static byte[] Build(string swDescription, byte[]? signature, IEnumerable<(string Name, byte[] Content)> images, CpioFormat format = CpioFormat.Newc)
    {
        using var buffer = new MemoryStream();
        WriteAsync(buffer, swDescription, signature, images, format).GetAwaiter().GetResult();
        return buffer.ToArray();
    }

    public async Task WriteEntryAsync(string name, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        uint sum = 0;
        if (format == CpioFormat.Crc)
        {
            foreach (var b in content.Span)
            {
                sum += b;
            }
        }
        await WriteHeaderAsync(name, content.Length, RegularFileMode, sum, cancellationToken);
        await output.WriteAsync(content, cancellationToken);
        await PadAsync(content.Length, cancellationToken);
    }

    /// <summary>Streams a large image; <paramref name="length"/> must be exact. The crc format needs the sum up front.</summary>
    public async Task WriteEntryAsync(string name, Stream content, long length, uint crcSum = 0, CancellationToken cancellationToken = default)
    {
        if (length is < 0 or > uint.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(length), "A cpio newc entry holds at most 4 GiB - 1 bytes.");
        }
        await WriteHeaderAsync(name, length, RegularFileMode, crcSum, cancellationToken);
        var buffer = new byte[81920];
        var left = length;
        while (left > 0)
        {
            var read = await content.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left)), cancellationToken);
            if (read == 0)
            {
                throw new EndOfStreamException($"'{name}' ended {left} bytes before its declared length.");
            }
            await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            left -= read;
        }
        await PadAsync(length, cancellationToken);
    }

    /// <summary>Writes the cpio trailer. Nothing may be written after it.</summary>
    public async Task FinishAsync(CancellationToken cancellationToken = default)
    {
        await WriteHeaderAsync(CpioReader.TrailerName, 0, 0, 0, cancellationToken, trailer: true);
        _finished = true;
        await output.FlushAsync(cancellationToken);
    }

    private async Task WriteHeaderAsync(string name, long size, uint mode, uint check, CancellationToken cancellationToken, bool trailer = false)
    {
        if (_finished)
        {
            throw new InvalidOperationException("The archive is already finished.");
        }
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var magic = format == CpioFormat.Crc ? "070702" : "070701";
        var ino = trailer ? 0u : _inode++;
        var header = new StringBuilder(CpioReader.HeaderLength)
            .Append(magic)
            .Append(Hex(ino)).Append(Hex(mode)).Append(Hex(0)).Append(Hex(0)).Append(Hex(1)).Append(Hex(0))
            .Append(Hex((uint)size)).Append(Hex(0)).Append(Hex(0)).Append(Hex(0)).Append(Hex(0))
            .Append(Hex((uint)nameBytes.Length + 1)).Append(Hex(check))
            .ToString();
        await output.WriteAsync(Encoding.ASCII.GetBytes(header), cancellationToken);
        await output.WriteAsync(nameBytes, cancellationToken);
        await output.WriteAsync(new byte[1], cancellationToken);
        await PadAsync(CpioReader.HeaderLength + nameBytes.Length + 1, cancellationToken);
    }

    private async Task PadAsync(long length, CancellationToken cancellationToken)
    {
        var padding = (int)((4 - (length % 4)) % 4);
        if (padding > 0)
        {
            await output.WriteAsync(new byte[padding], cancellationToken);
        }
    }

    private static string Hex(uint value) => value.ToString("X8", System.Globalization.CultureInfo.InvariantCulture);
}
