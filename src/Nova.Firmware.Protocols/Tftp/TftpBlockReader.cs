namespace Nova.Firmware.Protocols.Tftp;

/// <summary>
/// Reads a transfer's file ahead in large chunks and hands it out block by block, so one read
/// call serves hundreds of 512-byte blocks whatever buffering the provider's stream has.
/// Synchronous: it runs on the transfer's own thread.
/// </summary>
internal sealed class TftpBlockReader
{
    /// <summary>Read-ahead per transfer: large enough that file reads disappear from the per-block cost.</summary>
    public const int ChunkBytes = 256 * 1024;

    private readonly Stream _content;
    private readonly byte[] _chunk;
    private int _start;
    private int _end;
    private bool _ended;

    public TftpBlockReader(Stream content, int blockSize)
    {
        _content = content;
        _chunk = new byte[Math.Max(ChunkBytes, blockSize)];
    }

    /// <summary>Fills <paramref name="block"/>; fewer bytes only at the end of the file.</summary>
    public int Read(Span<byte> block)
    {
        var written = 0;
        while (written < block.Length)
        {
            if (_start == _end)
            {
                if (_ended)
                {
                    break;
                }

                _start = 0;
                _end = _content.Read(_chunk);
                if (_end == 0)
                {
                    _ended = true;
                    break;
                }
            }

            var count = Math.Min(_end - _start, block.Length - written);
            _chunk.AsSpan(_start, count).CopyTo(block[written..]);
            _start += count;
            written += count;
        }

        return written;
    }
}
