using System.Security.Cryptography;
using Nova.Firmware.Server.Packages;

namespace Nova.Firmware.Server.Tests.Packages;

/// <summary>
/// The import's direct writes: only aligned pieces go around the page cache, everything else is left
/// to the caller, and a file written partly each way (with background flushes on the way) holds
/// exactly the bytes given. Runs on the test machine's real file system; where it has no O_DIRECT,
/// the writer is not opened and the tests that need it say so by skipping their direct assertions.
/// </summary>
public sealed class DirectWriterTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("nova-direct-").FullName;

    [Fact]
    public void TryWrite_UnalignedOffsetLengthOrMemory_IsLeftToTheCaller()
    {
        var path = NewFile();
        using var writer = DirectWriter.TryOpen(path);
        if (writer is null)
        {
            Assert.False(OperatingSystem.IsLinux() && SupportsDirectIo(), "O_DIRECT works here but the writer did not open");
            return;
        }
        var aligned = DirectWriter.AllocateAligned(2 * DirectWriter.Alignment);

        Assert.False(writer.TryWrite(aligned[..DirectWriter.Alignment], offset: 6));
        Assert.False(writer.TryWrite(aligned[..(DirectWriter.Alignment - 1)], offset: 0));
        Assert.False(writer.TryWrite(aligned.Slice(1, DirectWriter.Alignment), offset: 0));
        Assert.Equal(0, writer.DirectBytes);
        Assert.Equal(0, new FileInfo(path).Length);

        Assert.True(writer.TryWrite(aligned[..DirectWriter.Alignment], offset: 0));
        Assert.Equal(DirectWriter.Alignment, writer.DirectBytes);
    }

    [Fact]
    public async Task Drain_WithDirectWrites_StoresTheExactBytesAndDigests()
    {
        // A ragged head (as after the .swu check), more than one background flush, a ragged tail.
        var content = RandomNumberGenerator.GetBytes((int)DirectWriter.FlushWindow + (3 * HashingTeeStream.DrainBufferSize) + 777);
        var path = NewFile();
        using var direct = DirectWriter.TryOpen(path);
        await using (var file = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0))
        using (var tee = new HashingTeeStream(new MemoryStream(content), file, long.MaxValue, direct: direct))
        {
            var head = new byte[6];
            Assert.Equal(6, await tee.ReadAsync(head));
            await tee.DrainAsync(CancellationToken.None);
            if (direct is not null)
            {
                await direct.CompleteAsync();
            }
            file.Flush(flushToDisk: true);

            var (sha256, sha1, md5) = tee.Digests();
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(content)), sha256);
            Assert.Equal(Convert.ToHexStringLower(SHA1.HashData(content)), sha1);
            Assert.Equal(Convert.ToHexStringLower(MD5.HashData(content)), md5);
            Assert.Equal(content.Length, file.Position);
        }

        Assert.Equal(content, await File.ReadAllBytesAsync(path));
        if (direct is not null)
        {
            // Everything but the first piece (which ends on the alignment boundary) and the ragged tail.
            var expected = (content.Length - HashingTeeStream.DrainBufferSize) / DirectWriter.Alignment * DirectWriter.Alignment;
            Assert.InRange(direct.DirectBytes, expected - HashingTeeStream.DrainBufferSize, expected);
        }
    }

    [Fact]
    public async Task Drain_WhenTheFileWriteFails_ThrowsTheStorageFailureAndStopsReceiving()
    {
        var source = new CountingStream(RandomNumberGenerator.GetBytes(64 * HashingTeeStream.DrainBufferSize));
        using var tee = new HashingTeeStream(source, new FailingStream(failAfterWrites: 2), long.MaxValue);

        var failure = await Assert.ThrowsAsync<PackageStorageException>(() => tee.DrainAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.Contains("disk full", failure.Message, StringComparison.Ordinal);
        var readWhenItFailed = source.Position;
        Assert.True(readWhenItFailed < source.Length / 2, $"the drain kept receiving after the write failed ({readWhenItFailed} bytes)");
        await Task.Delay(100);
        Assert.Equal(readWhenItFailed, source.Position);
    }

    [Fact]
    public async Task Drain_WhenTheUploadBreaks_ThrowsItsFailureAndLeavesNoWriteRunning()
    {
        var target = new CountingStream([]);
        var source = new BreakingStream(RandomNumberGenerator.GetBytes(5 * HashingTeeStream.DrainBufferSize), breakAt: 3 * HashingTeeStream.DrainBufferSize);
        using var tee = new HashingTeeStream(source, target, long.MaxValue);

        await Assert.ThrowsAsync<IOException>(() => tee.DrainAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30)));

        var writtenWhenItFailed = target.Written;
        await Task.Delay(100);
        Assert.Equal(writtenWhenItFailed, target.Written);
        Assert.True(writtenWhenItFailed <= 3 * HashingTeeStream.DrainBufferSize);
    }

    private string NewFile()
    {
        var path = Path.Combine(_directory, Guid.NewGuid().ToString("N"));
        File.WriteAllBytes(path, []);
        return path;
    }

    /// <summary>Whether the test directory's file system takes O_DIRECT, asked the way dd would (GNU dd is on every CI machine).</summary>
    private bool SupportsDirectIo()
    {
        var probe = Path.Combine(_directory, "probe");
        using var dd = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("dd", ["if=/dev/zero", $"of={probe}", "bs=4096", "count=1", "oflag=direct"])
        {
            RedirectStandardError = true,
        })!;
        dd.WaitForExit();
        return dd.ExitCode == 0;
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>A readable stream over bytes whose position the test can watch.</summary>
    private sealed class CountingStream(byte[] content) : MemoryStream(content)
    {
        public long Written { get; private set; }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Written += buffer.Length;
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>A target whose writes fail like a full disk after the first few.</summary>
    private sealed class FailingStream(int failAfterWrites) : MemoryStream
    {
        private int _writes;

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await Task.Yield();
            if (++_writes > failAfterWrites)
            {
                throw new IOException("No space left on device (disk full)");
            }
        }
    }

    /// <summary>An upload that breaks off (the client went away) after some bytes.</summary>
    private sealed class BreakingStream(byte[] content, int breakAt) : MemoryStream(content)
    {
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await Task.Yield();
            if (Position >= breakAt)
            {
                throw new IOException("The client disconnected.");
            }
            return await base.ReadAsync(buffer[..(int)Math.Min(buffer.Length, breakAt - Position)], cancellationToken);
        }
    }
}
