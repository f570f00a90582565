using System.Security.Cryptography;
using Nova.Firmware.Protocols.Ddi;

namespace Nova.Firmware.EndToEnd.Tests.Swupdate;

/// <summary>A built <c>.swu</c>: its file, its bytes and the version in its sw-description.</summary>
public sealed record SwuBundle(string Path, byte[] Content, string Version)
{
    public string FileName => System.IO.Path.GetFileName(Path);

    /// <summary>The hashes a DDI server announces for the artifact (SWUpdate requires and checks sha1).</summary>
    public DdiArtifactHashes Hashes => HashesOf(Content);

    /// <summary>Fault for the server side: the first <paramref name="length"/> bytes only, as a broken upload would leave them.</summary>
    public byte[] Truncated(int length) => Content[..Math.Min(length, Content.Length)];

    public static DdiArtifactHashes HashesOf(byte[] content) => new(
        Convert.ToHexStringLower(SHA1.HashData(content)),
        Convert.ToHexStringLower(MD5.HashData(content)),
        Convert.ToHexStringLower(SHA256.HashData(content)));
}
