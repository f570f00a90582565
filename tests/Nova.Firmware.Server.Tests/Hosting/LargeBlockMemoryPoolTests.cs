using System.Buffers;
using System.Runtime.InteropServices;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Nova.Firmware.Server.Hosting;
using Nova.Firmware.Server.Tests.Infrastructure;

namespace Nova.Firmware.Server.Tests.Hosting;

public sealed class LargeBlockMemoryPoolTests
{
    [Theory]
    [InlineData(-1)]
    [InlineData(1)]
    [InlineData(4096)]
    [InlineData(LargeBlockMemoryPool.BlockSize)]
    public void Rent_UpToABlock_GivesAWholeBlock(int size)
    {
        using var pool = new LargeBlockMemoryPool(new FakeTimeProvider());

        using var block = pool.Rent(size);

        Assert.Equal(LargeBlockMemoryPool.BlockSize, block.Memory.Length);
        Assert.Equal(LargeBlockMemoryPool.BlockSize, pool.MaxBufferSize);
    }

    [Fact]
    public void Rent_MoreThanABlock_IsRefused()
    {
        using var pool = new LargeBlockMemoryPool(new FakeTimeProvider());

        Assert.Throws<ArgumentOutOfRangeException>(() => pool.Rent(LargeBlockMemoryPool.BlockSize + 1));
    }

    [Fact]
    public void Rent_AfterAReturn_ReusesTheBlock()
    {
        using var pool = new LargeBlockMemoryPool(new FakeTimeProvider());
        var first = pool.Rent();
        var array = ArrayOf(first);
        first.Dispose();

        using var second = pool.Rent();

        Assert.Same(array, ArrayOf(second));
    }

    [Fact]
    public void Return_HundredsOfBlocks_AllAreReused()
    {
        // As 100 downloads at once: some 500 blocks out, then back.
        using var pool = new LargeBlockMemoryPool(new FakeTimeProvider());
        var rented = Enumerable.Range(0, 500).Select(_ => pool.Rent()).ToList();
        var arrays = rented.Select(ArrayOf).ToHashSet(ReferenceEqualityComparer.Instance);
        rented.ForEach(b => b.Dispose());

        var again = Enumerable.Range(0, 500).Select(_ => pool.Rent()).ToList();

        Assert.All(again, b => Assert.Contains(ArrayOf(b), arrays));
    }

    [Fact]
    public void Trim_BlocksFreeThroughAWholeInterval_AreLetGo()
    {
        var time = new FakeTimeProvider();
        using var pool = new LargeBlockMemoryPool(time);
        var first = Enumerable.Range(0, 10).Select(_ => pool.Rent()).ToList();
        var arrays = first.Select(ArrayOf).ToHashSet(ReferenceEqualityComparer.Instance);
        first.ForEach(b => b.Dispose());

        // All ten were needed in this interval (the free list ran dry): none is let go.
        time.Advance(LargeBlockMemoryPool.TrimInterval);
        Assert.Equal(10, pool.FreeBlocks);

        // The next interval needs three at most: the seven others go at its end.
        var three = Enumerable.Range(0, 3).Select(_ => pool.Rent()).ToList();
        three.ForEach(b => b.Dispose());
        time.Advance(LargeBlockMemoryPool.TrimInterval);
        Assert.Equal(3, pool.FreeBlocks);

        // A quiet interval: the pool empties.
        time.Advance(LargeBlockMemoryPool.TrimInterval);
        Assert.Equal(0, pool.FreeBlocks);
        using var fresh = pool.Rent();
        Assert.DoesNotContain(ArrayOf(fresh), arrays);
    }

    [Fact]
    public void Server_AsProgramBuildsIt_GivesKestrelTheLargeBlockPool()
    {
        // Built the way Program.cs builds it: Kestrel registers its own factory first (tests that
        // add Kestrel to a test host later would see that one instead).
        var data = Directory.CreateTempSubdirectory("nova-pool-test-");
        try
        {
            var builder = Microsoft.AspNetCore.Builder.WebApplication.CreateBuilder(
                [$"--Nova:DataDirectory={data.FullName}", $"--Nova:AdminPassword={NovaServer.AdminPassword}"]);
            builder.AddNovaFirmware();
            using var app = builder.Build();

            var factory = app.Services.GetRequiredService<IMemoryPoolFactory<byte>>();

            Assert.IsType<LargeBlockMemoryPoolFactory>(factory);
            using var pool = factory.Create();
            Assert.Equal(LargeBlockMemoryPool.BlockSize, pool.MaxBufferSize);
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }

    private static byte[] ArrayOf(IMemoryOwner<byte> block) =>
        MemoryMarshal.TryGetArray<byte>(block.Memory, out var segment) ? segment.Array! : throw new InvalidOperationException("not array-backed");
}
