using System.Buffers;
using System.Collections.Concurrent;
using Microsoft.AspNetCore.Connections;

namespace Nova.Firmware.Server.Hosting;

/// <summary>
/// Kestrel's memory pool, with larger blocks. Kestrel receives into blocks of its pool; the built-in
/// pool's are 4 KiB, so a 512 MiB package upload took some 130,000 receive calls. With
/// <see cref="BlockSize"/> blocks a receive takes up to that much. (Downloads measured the same with
/// either pool.) Idle connections hold no block (Kestrel waits for data before it rents one), so the
/// price is memory per busy connection, not per device.
/// </summary>
internal sealed class LargeBlockMemoryPoolFactory : IMemoryPoolFactory<byte>
{
    public MemoryPool<byte> Create(MemoryPoolOptions? options = null) => new LargeBlockMemoryPool();
}

internal sealed class LargeBlockMemoryPool : MemoryPool<byte>
{
    /// <summary>
    /// The size of every block, so the most one receive takes. At 64 KiB a 512 MiB import
    /// took a sixth less server CPU than with 4 KiB blocks; 256 KiB blocks were no better, and would
    /// cost four times the memory per busy connection.
    /// </summary>
    public const int BlockSize = 64 * 1024;

    /// <summary>At most this many free blocks are kept (8 MiB); beyond it a returned block is left to the GC.</summary>
    internal const int MaxFreeBlocks = 128;

    private readonly ConcurrentQueue<Block> _free = new();
    private int _freeCount;

    public override int MaxBufferSize => BlockSize;

    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minBufferSize, BlockSize);
        if (_free.TryDequeue(out var block))
        {
            Interlocked.Decrement(ref _freeCount);
            return block;
        }
        // Pinned, as Kestrel's own blocks are: the socket reads into them without pinning per call.
        return new Block(this, GC.AllocateUninitializedArray<byte>(BlockSize, pinned: true));
    }

    private void Return(Block block)
    {
        if (Interlocked.Increment(ref _freeCount) <= MaxFreeBlocks)
        {
            _free.Enqueue(block);
        }
        else
        {
            Interlocked.Decrement(ref _freeCount);
        }
    }

    protected override void Dispose(bool disposing) => _free.Clear();

    private sealed class Block(LargeBlockMemoryPool pool, byte[] array) : IMemoryOwner<byte>
    {
        public Memory<byte> Memory { get; } = array;

        public void Dispose() => pool.Return(this);
    }
}
