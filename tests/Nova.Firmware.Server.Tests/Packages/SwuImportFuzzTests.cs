using System.Net;
using System.Text;
using Nova.Firmware.Protocols.Swu;
using Nova.Firmware.Server.Tests.Infrastructure;

namespace Nova.Firmware.Server.Tests.Packages;

/// <summary>
/// Hundreds of damaged variants of one valid bundle, each imported with the SHA-256 of the damaged
/// bytes as the published hash (so the bundle checks, not the outer hash, must catch them).
/// Never a 500, never a leftover temporary file; variants that must be invalid are refused with 422
/// and store nothing. A random byte flip may land where it harms nothing (a timestamp, a version
/// digit): such a variant may be stored, and the test counts those against the database and the disk.
/// </summary>
public sealed class SwuImportFuzzTests
{
    private const int Seed = 20261123;

    [Fact]
    public async Task Import_CorruptedBundles_NeverFailsWith500NorLeavesAnythingBehind()
    {
        await using var server = await NovaServer.StartAsync();
        var client = server.CreateAdminClient();
        var valid = PackageUpload.ValidBundle(format: CpioFormat.Crc);
        var random = new Random(Seed);
        var accepted = new HashSet<string>(StringComparer.Ordinal);
        var acceptedImports = 0;
        var mustFail = MustFailVariants(valid).ToList();
        var mayPass = RandomFlips(valid, random, 200).ToList();
        Assert.True(mustFail.Count + mayPass.Count >= 400, $"only {mustFail.Count + mayPass.Count} variants");

        foreach (var (name, bytes) in mustFail)
        {
            var response = await client.PostAsync("/api/v1/packages", PackageUpload.Swu(bytes).Build());
            Assert.True(response.StatusCode == HttpStatusCode.UnprocessableEntity,
                $"{name}: expected 422, got {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            Assert.Empty(server.TempFiles());
        }
        await server.AssertNothingStoredAsync();

        foreach (var (name, bytes) in mayPass)
        {
            var response = await client.PostAsync("/api/v1/packages", PackageUpload.Swu(bytes).Build());
            Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.UnprocessableEntity,
                $"{name}: got {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            if (response.StatusCode == HttpStatusCode.Created)
            {
                acceptedImports++;
                accepted.Add(PackageUpload.Sha256(bytes));
            }
            Assert.Empty(server.TempFiles());
        }
        Assert.Equal(acceptedImports, await server.PackageCountAsync());
        Assert.Equal(accepted.Order().ToArray(), server.Blobs().Select(Path.GetFileName).Order().ToArray());
        Assert.True(acceptedImports < mayPass.Count / 2, $"{acceptedImports} of {mayPass.Count} random flips were accepted: the checks look too weak");
    }

    /// <summary>Truncations at many offsets, flips inside image data, and header fields set to bad values.</summary>
    private static IEnumerable<(string Name, byte[] Bytes)> MustFailVariants(byte[] valid)
    {
        for (var length = 1; length < valid.Length; length += Math.Max(1, valid.Length / 150))
        {
            yield return ($"truncated to {length}", valid[..length]);
        }
        yield return ("truncated by one byte", valid[..^1]);

        var headers = HeaderOffsets(valid).ToList();
        foreach (var (header, entryName, dataStart, size) in headers.Where(h => h.Name.EndsWith(".img", StringComparison.Ordinal)))
        {
            for (var i = 0; i < 20; i++)
            {
                var bytes = (byte[])valid.Clone();
                bytes[dataStart + (int)(size * i / 20)] ^= (byte)(1 << (i % 8));
                yield return ($"data flip {i} in {entryName}", bytes);
            }
        }
        foreach (var (header, entryName, _, size) in headers)
        {
            yield return Mutate(valid, $"magic of {entryName}", header, "070703");
            yield return Mutate(valid, $"namesize 0 of {entryName}", header + 6 + (11 * 8), "00000000");
            yield return Mutate(valid, $"namesize 1 of {entryName}", header + 6 + (11 * 8), "00000001");
            yield return Mutate(valid, $"namesize huge of {entryName}", header + 6 + (11 * 8), "FFFFFFFF");
            yield return Mutate(valid, $"filesize huge of {entryName}", header + 6 + (6 * 8), "FFFFFFFF");
            yield return Mutate(valid, $"filesize +1 of {entryName}", header + 6 + (6 * 8), (size + 1).ToString("X8", System.Globalization.CultureInfo.InvariantCulture));
            yield return Mutate(valid, $"filesize not hex of {entryName}", header + 6 + (6 * 8), "0000G000");
            yield return Mutate(valid, $"name made absolute in {entryName}", header + CpioReader.HeaderLength, "/");
            if (entryName != CpioReader.TrailerName)
            {
                yield return Mutate(valid, $"mode directory of {entryName}", header + 6 + (1 * 8), "000041ED");
                yield return Mutate(valid, $"crc sum of {entryName}", header + 6 + (12 * 8), "DEADBEEF");
                if (size > 0)
                {
                    yield return Mutate(valid, $"filesize -1 of {entryName}", header + 6 + (6 * 8), (size - 1).ToString("X8", System.Globalization.CultureInfo.InvariantCulture));
                }
            }
        }
    }

    private static IEnumerable<(string Name, byte[] Bytes)> RandomFlips(byte[] valid, Random random, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var bytes = (byte[])valid.Clone();
            var flips = 1 + random.Next(3);
            for (var f = 0; f < flips; f++)
            {
                bytes[random.Next(bytes.Length)] ^= (byte)(1 + random.Next(255));
            }
            yield return ($"random flips #{i}", bytes);
        }
    }

    private static (string Name, byte[] Bytes) Mutate(byte[] valid, string name, int offset, string ascii)
    {
        var bytes = (byte[])valid.Clone();
        Encoding.ASCII.GetBytes(ascii).CopyTo(bytes, offset);
        Assert.False(bytes.AsSpan().SequenceEqual(valid), $"mutation '{name}' changes nothing");
        return (name, bytes);
    }

    /// <summary>Walks the valid archive's headers: offset, name, where the data starts, data size.</summary>
    private static IEnumerable<(int Header, string Name, int DataStart, long Size)> HeaderOffsets(byte[] archive)
    {
        var offset = 0;
        while (true)
        {
            var size = Convert.ToInt64(Encoding.ASCII.GetString(archive, offset + 6 + (6 * 8), 8), 16);
            var nameSize = Convert.ToInt32(Encoding.ASCII.GetString(archive, offset + 6 + (11 * 8), 8), 16);
            var name = Encoding.ASCII.GetString(archive, offset + CpioReader.HeaderLength, nameSize - 1);
            var dataStart = Align(offset + CpioReader.HeaderLength + nameSize);
            yield return (offset, name, dataStart, size);
            if (name == CpioReader.TrailerName)
            {
                yield break;
            }
            offset = Align(dataStart + (int)size);
        }
    }

    private static int Align(int n) => (n + 3) & ~3;
}
