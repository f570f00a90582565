using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Nova.Firmware.EndToEnd.Tests.Swupdate;

/// <summary>
/// Builds a signed <c>.swu</c> the way a vendor build does: writes <c>sw-description</c> (libconfig),
/// signs it with <c>openssl cms</c>, and packs sw-description, sw-description.sig and the images, in
/// that order, with <c>cpio -o -H newc</c>. Fault options produce bundles SWUpdate must refuse.
/// </summary>
public sealed class SwuBundleBuilder(TestSigningKeys? keys, string workDirectory)
{
    private readonly List<SwuImage> _images = [];
    private readonly HashSet<string> _wrongHashFor = new(StringComparer.Ordinal);
    private string _version = "1.2.3";
    private string[] _hardwareCompatibility = ["1.0"];
    private string _fileName = "update.swu";
    private Func<byte[], byte[]>? _sign;

    public SwuBundleBuilder WithVersion(string version)
    {
        _version = version;
        return this;
    }

    /// <summary>Hardware revisions the bundle accepts; SWUpdate compares them with the revision part of <c>-H board:rev</c>.</summary>
    public SwuBundleBuilder WithHardwareCompatibility(params string[] revisions)
    {
        _hardwareCompatibility = revisions;
        return this;
    }

    /// <summary>Name of the produced file; SWUpdate only downloads DDI artifacts whose name ends in <c>.swu</c>.</summary>
    public SwuBundleBuilder WithFileName(string fileName)
    {
        _fileName = fileName;
        return this;
    }

    /// <summary>Image for the <c>rawfile</c> handler: creates or truncates <paramref name="targetPath"/> and writes the content.</summary>
    public SwuBundleBuilder AddRawFile(string fileName, byte[] content, string targetPath)
    {
        _images.Add(new SwuImage(fileName, content, "rawfile", "path", targetPath));
        return this;
    }

    /// <summary>Image for the <c>raw</c> handler: writes into an existing file or device without truncating it.</summary>
    public SwuBundleBuilder AddRaw(string fileName, byte[] content, string devicePath)
    {
        _images.Add(new SwuImage(fileName, content, "raw", "device", devicePath));
        return this;
    }

    /// <summary>Signs sw-description with <paramref name="sign"/> (its bytes in, DER CMS out) instead of the keys' openssl.</summary>
    public SwuBundleBuilder SignedWith(Func<byte[], byte[]> sign)
    {
        _sign = sign;
        return this;
    }

    /// <summary>
    /// Fault: declare a wrong (but non-zero) sha256 for an image. SWUpdate then reports
    /// <c>HASH mismatch : declared &lt;--&gt; computed</c>. An all-zero hash would read as "not set" instead.
    /// </summary>
    public SwuBundleBuilder WithWrongSha256For(string fileName)
    {
        _wrongHashFor.Add(fileName);
        return this;
    }

    public async Task<SwuBundle> BuildAsync(CancellationToken cancellationToken = default)
    {
        if (_images.Count == 0)
        {
            throw new InvalidOperationException("A bundle needs at least one image.");
        }

        var staging = Path.Combine(workDirectory, $"swu-staging-{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging);
        try
        {
            foreach (var image in _images)
            {
                await File.WriteAllBytesAsync(Path.Combine(staging, image.FileName), image.Content, cancellationToken);
            }

            var description = Path.Combine(staging, "sw-description");
            await File.WriteAllTextAsync(description, RenderDescription(), Encoding.ASCII, cancellationToken);
            if (_sign is null)
            {
                var signer = keys ?? throw new InvalidOperationException("Give the builder signing keys, or sign with SignedWith.");
                await signer.SignAsync(description, description + ".sig", cancellationToken);
            }
            else
            {
                await File.WriteAllBytesAsync(description + ".sig", _sign(await File.ReadAllBytesAsync(description, cancellationToken)), cancellationToken);
            }

            var output = Path.Combine(workDirectory, _fileName);
            var members = new[] { "sw-description", "sw-description.sig" }.Concat(_images.Select(i => i.FileName));
            var packed = await ExternalTool.RunCpioAsync(staging, members, cancellationToken);
            await File.WriteAllBytesAsync(output, packed, cancellationToken);
            return new SwuBundle(output, packed, _version);
        }
        finally
        {
            Directory.Delete(staging, recursive: true);
        }
    }

    private string RenderDescription()
    {
        var text = new StringBuilder();
        text.Append("software =\n{\n");
        text.Append(CultureInfo.InvariantCulture, $"\tversion = \"{_version}\";\n");
        text.Append(CultureInfo.InvariantCulture, $"\thardware-compatibility = [ {string.Join(", ", _hardwareCompatibility.Select(r => $"\"{r}\""))} ];\n");
        text.Append("\timages: (\n");
        for (var i = 0; i < _images.Count; i++)
        {
            var image = _images[i];
            var sha256 = _wrongHashFor.Contains(image.FileName)
                ? Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes("not the image " + image.FileName)))
                : Convert.ToHexStringLower(SHA256.HashData(image.Content));
            text.Append("\t\t{\n");
            text.Append(CultureInfo.InvariantCulture, $"\t\t\tfilename = \"{image.FileName}\";\n");
            text.Append(CultureInfo.InvariantCulture, $"\t\t\ttype = \"{image.Handler}\";\n");
            text.Append(CultureInfo.InvariantCulture, $"\t\t\t{image.TargetKey} = \"{image.TargetPath}\";\n");
            text.Append(CultureInfo.InvariantCulture, $"\t\t\tsha256 = \"{sha256}\";\n");
            text.Append(i == _images.Count - 1 ? "\t\t}\n" : "\t\t},\n");
        }

        text.Append("\t);\n};\n");
        return text.ToString();
    }

    private sealed record SwuImage(string FileName, byte[] Content, string Handler, string TargetKey, string TargetPath);
}
