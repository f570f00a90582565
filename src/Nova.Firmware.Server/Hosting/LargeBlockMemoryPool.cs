using System.Buffers;
using System.Collections.Concurrent;
using Microsoft.AspNetCore.Connections;

namespace Nova.Firmware.Server.Hosting;

/// <summary>
/// Kestrel's memory pool, with larger blocks. Kestrel receives into blocks of its pool; the built-in
/// pool's are 4 KiB, so a 512 MiB package upload took some 130,000 receive calls. With
/// <see cref="BlockSize"/> blocks a receive takes up to that much, and a package download sends from
/// them (<see cref="Packages.BlobSendFile"/>). Idle connections hold no block (Kestrel waits for data
/// before it rents one), so the price is memory per busy connection, not per device.
/// </summary>
internal sealed class LargeBlockMemoryPoolFactory(TimeProvider time) : IMemoryPoolFactory<byte>
{
    public MemoryPool<byte> Create(MemoryPoolOptions? options = null) => new LargeBlockMemoryPool(time);
}

/// <summary>
/// Blocks are reused, however many are out at once: 100 downloads hold some 500 blocks, and their
/// number swings by hundreds as each sends and refills, so a bounded free list (128 blocks, before)
/// dropped returned blocks and allocated new pinned ones, 700 MB/s of garbage and twenty full
/// collections a second. What the load no longer needs is let go over time instead: every
/// <see cref="TrimInterval"/>, the blocks that stayed free through the whole interval are dropped.
/// </summary>
internal sealed class LargeBlockMemoryPool : MemoryPool<byte>
{
    /// <summary>
    /// The size of every block, so the most one receive takes. At 64 KiB a 512 MiB import
    /// took a sixth less server CPU than with 4 KiB blocks; 256 KiB blocks were no better, and would
    /// cost four times the memory per busy connection.
    /// </summary>
    public const int BlockSize = 64 * 1024;

    /// <summary>How long a free block may stay unused before it is let go.</summary>
    public static readonly TimeSpan TrimInterval = TimeSpan.FromSeconds(30);

    private readonly ConcurrentQueue<Block> _free = new();
    private readonly ITimer _trimTimer;
    private int _freeCount;

    /// <summary>
    /// The fewest free blocks seen since the last trim: that many were never needed in the interval.
    /// Kept without a lock; a count off by one under a race only trims one block more or less.
    /// </summary>
    private int _fewestFree;

    public LargeBlockMemoryPool(TimeProvider time) =>
        _trimTimer = time.CreateTimer(static pool => ((LargeBlockMemoryPool)pool!).Trim(), this, TrimInterval, TrimInterval);

    public override int MaxBufferSize => BlockSize;

    /// <summary>Blocks returned and waiting to be rented again.</summary>
    internal int FreeBlocks => Volatile.Read(ref _freeCount);

    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minBufferSize, BlockSize);
        if (_free.TryDequeue(out var block))
        {
            var left = Interlocked.Decrement(ref _freeCount);
            if (left < Volatile.Read(ref _fewestFree))
            {
                Volatile.Write(ref _fewestFree, left);
            }
            return block;
        }
        Volatile.Write(ref _fewestFree, 0);
        // Pinned, as Kestrel's own blocks are: the socket reads into them without pinning per call.
        return new Block(this, GC.AllocateUninitializedArray<byte>(BlockSize, pinned: true));
    }

    private void Return(Block block)
    {
        _free.Enqueue(block);
        Interlocked.Increment(ref _freeCount);
    }

    /// <summary>Lets go of the blocks no one rented since the last trim; the GC reclaims them.</summary>
    internal void Trim()
    {
        for (var unneeded = Math.Min(Volatile.Read(ref _fewestFree), FreeBlocks); unneeded > 0 && _free.TryDequeue(out _); unneeded--)
        {
            Interlocked.Decrement(ref _freeCount);
        }
        Volatile.Write(ref _fewestFree, FreeBlocks);
    }

    protected override void Dispose(bool disposing)
    {
        _trimTimer.Dispose();
        _free.Clear();
    }

    private sealed class Block(LargeBlockMemoryPool pool, byte[] array) : IMemoryOwner<byte>
    {
        public Memory<byte> Memory { get; } = array;

        public void Dispose() => pool.Return(this);
    }
}
