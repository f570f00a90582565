using System.Buffers;
using System.Globalization;
using System.Text;

namespace Nova.Firmware.Protocols.Swu;

/// <summary>
/// Reads a cpio "newc" or "crc" archive front to back without seeking, so it can sit on a network
/// stream. Every header field is checked before it is trusted: a hostile or damaged archive ends in
/// <see cref="SwuFormatException"/>, never in a huge allocation or an endless loop.
/// </summary>
public sealed class CpioReader(Stream input)
{
    private readonly Stream _input = input;

    public const string TrailerName = "TRAILER!!!";
    public const int HeaderLength = 110;
    /// <summary>Longer names than PATH_MAX are not something a firmware bundle carries.</summary>
    public const int MaxNameLength = 4096;

    private readonly byte[] _header = new byte[HeaderLength];
    private CpioEntryStream? _current;
    private bool _finished;

    /// <summary>Bytes consumed from the input so far.</summary>
    public long Position { get; private set; }

    /// <summary>
    /// Moves to the next entry, skipping whatever the caller left unread of the previous one.
    /// Returns null after the trailer. A stream that ends before the trailer is a truncated archive.
    /// </summary>
    public async ValueTask<CpioEntry?> NextAsync(CancellationToken cancellationToken = default)
    {
        if (_finished)
        {
            return null;
        }
        if (_current is not null)
        {
            await _current.FinishAsync(cancellationToken);
            _current = null;
        }

        var offset = Position;
        await ReadExactAsync(_header, $"the header at offset {offset}", cancellationToken);
        var magic = Encoding.ASCII.GetString(_header, 0, 6);
        var format = magic switch
        {
            "070701" => CpioFormat.Newc,
            "070702" => CpioFormat.Crc,
            _ => throw new SwuFormatException($"Not a cpio newc/crc archive: bad magic at offset {offset} (expected 070701 or 070702)."),
        };
        var mode = Field(1, "mode", offset);
        var fileSize = Field(6, "filesize", offset);
        var nameSize = Field(11, "namesize", offset);
        var check = Field(12, "check", offset);
        if (nameSize < 2 || nameSize > MaxNameLength + 1)
        {
            throw new SwuFormatException($"cpio entry at offset {offset} has an invalid name size {nameSize}.");
        }

        var nameBytes = new byte[nameSize];
        await ReadExactAsync(nameBytes, $"the entry name at offset {offset}", cancellationToken);
        if (nameBytes[^1] != 0 || Array.IndexOf(nameBytes, (byte)0) != nameBytes.Length - 1)
        {
            throw new SwuFormatException($"cpio entry at offset {offset} has a name that is not NUL-terminated.");
        }
        await SkipPaddingAsync(HeaderLength + nameSize, $"the name padding at offset {offset}", cancellationToken);
        string name;
        try
        {
            name = new UTF8Encoding(false, true).GetString(nameBytes, 0, nameBytes.Length - 1);
        }
        catch (DecoderFallbackException)
        {
            throw new SwuFormatException($"cpio entry at offset {offset} has a name that is not valid UTF-8.");
        }

        if (name == TrailerName)
        {
            if (fileSize != 0)
            {
                throw new SwuFormatException($"cpio trailer at offset {offset} claims {fileSize} bytes of data.");
            }
            _finished = true;
            return null;
        }

        var entry = new CpioEntry(name, fileSize, mode, check, format, offset);
        _current = new CpioEntryStream(this, entry);
        return entry;
    }

    /// <summary>The data of the entry <see cref="NextAsync"/> returned last; valid until the next call.</summary>
    public Stream OpenData() => _current ?? throw new InvalidOperationException("No current cpio entry.");

    private uint Field(int index, string name, long offset)
    {
        var text = Encoding.ASCII.GetString(_header, 6 + (index * 8), 8);
        if (!uint.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value))
        {
            throw new SwuFormatException($"cpio header at offset {offset} has a {name} field that is not hexadecimal ('{Printable(text)}').");
        }
        return value;
    }

    private static string Printable(string text) => new(text.Select(c => c is >= ' ' and <= '~' ? c : '?').ToArray());

    private async ValueTask ReadExactAsync(Memory<byte> buffer, string what, CancellationToken cancellationToken)
    {
        var read = await _input.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
        Position += read;
        if (read < buffer.Length)
        {
            throw new SwuFormatException($"The archive is truncated: it ends inside {what}.");
        }
    }

    private async ValueTask SkipPaddingAsync(long length, string what, CancellationToken cancellationToken)
    {
        var padding = (int)((4 - (length % 4)) % 4);
        if (padding > 0)
        {
            await ReadExactAsync(new byte[padding], what, cancellationToken);
        }
    }

    /// <summary>A read-only view of one entry's data; checks the crc sum when the data has been read.</summary>
    private sealed class CpioEntryStream(CpioReader reader, CpioEntry entry) : Stream
    {
        private long _remaining = entry.Size;
        private uint _sum;
        private bool _verified;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => entry.Size;
        public override long Position { get => entry.Size - _remaining; set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_remaining == 0 || buffer.Length == 0)
            {
                return 0;
            }
            var want = (int)Math.Min(buffer.Length, _remaining);
            var read = await reader._input.ReadAsync(buffer[..want], cancellationToken);
            if (read == 0)
            {
                throw new SwuFormatException($"The archive is truncated: '{entry.Name}' declares {entry.Size} bytes but the archive ends after {entry.Size - _remaining}.");
            }
            reader.Position += read;
            _remaining -= read;
            if (entry.Format == CpioFormat.Crc)
            {
                foreach (var b in buffer.Span[..read])
                {
                    _sum += b;
                }
            }
            if (_remaining == 0)
            {
                await VerifyAndSkipPaddingAsync(cancellationToken);
            }
            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

        /// <summary>Skips what the caller did not read, so the reader lands on the next header.</summary>
        public async ValueTask FinishAsync(CancellationToken cancellationToken)
        {
            if (_remaining == 0)
            {
                if (entry.Size == 0)
                {
                    await VerifyAndSkipPaddingAsync(cancellationToken);
                }
                return;
            }
            var scratch = ArrayPool<byte>.Shared.Rent(81920);
            try
            {
                while (_remaining > 0 && await ReadAsync(scratch, cancellationToken) > 0)
                {
                    // ReadAsync throws when the archive ends early, so this loop always terminates.
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(scratch);
            }
        }

        private async ValueTask VerifyAndSkipPaddingAsync(CancellationToken cancellationToken)
        {
            if (_verified)
            {
                return;
            }
            _verified = true;
            if (entry.Format == CpioFormat.Crc && _sum != entry.Checksum)
            {
                throw new SwuFormatException($"cpio checksum of '{entry.Name}' does not match: header says {entry.Checksum:x8}, data sums to {_sum:x8}.");
            }
            await reader.SkipPaddingAsync(entry.Size, $"the data padding of '{entry.Name}'", cancellationToken);
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
