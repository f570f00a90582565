using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Nova.Firmware.Protocols.Swu;

/// <summary>
/// What goes into a one-image update bundle. <see cref="HardwareRevisions"/> become SWUpdate's
/// <c>hardware-compatibility</c> (compared with the revision of the device's <c>board:revision</c>);
/// <see cref="Handler"/> and <see cref="Target"/> tell SWUpdate how to install the image
/// (<c>raw</c> into a partition by default).
/// </summary>
public sealed record SwuPackageSpec(
    string Version,
    IReadOnlyList<string> HardwareRevisions,
    IReadOnlyList<string> Models,
    string ImageFileName,
    string Handler = "raw",
    string Target = "/dev/update");

/// <summary>
/// Builds a <c>.swu</c> a device accepts: sw-description (version, hardware compatibility, the image
/// with its SHA-256), optionally sw-description.sig (detached DER CMS over sw-description, signer
/// certificate included, as <c>openssl cms -sign -binary -nosmimecap -outform DER</c> makes and
/// SWUpdate's CMS mode verifies), then the image, in the order SWUpdate reads them.
/// </summary>
public static class SwuPackageBuilder
{
    /// <summary>Checks a spec before any byte is written; the messages name the field.</summary>
    public static IReadOnlyList<string> Validate(SwuPackageSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var errors = new List<string>();
        Check(errors, "version", spec.Version);
        if (spec.HardwareRevisions.Count == 0)
        {
            errors.Add("hardware revisions: give at least one (SWUpdate refuses a bundle for no hardware).");
        }
        foreach (var revision in spec.HardwareRevisions)
        {
            Check(errors, "hardware revision", revision);
        }
        foreach (var model in spec.Models)
        {
            Check(errors, "model", model);
        }
        Check(errors, "image file name", spec.ImageFileName);
        if (spec.ImageFileName.Contains('/', StringComparison.Ordinal) || spec.ImageFileName is SwuBundleReader.DescriptionName or SwuBundleReader.SignatureName)
        {
            errors.Add($"image file name: '{spec.ImageFileName}' must be a plain file name other than sw-description.");
        }
        Check(errors, "handler", spec.Handler);
        Check(errors, "target", spec.Target);
        return errors;
    }

    /// <summary>The sw-description text (libconfig) for an image with the given SHA-256.</summary>
    public static string Describe(SwuPackageSpec spec, string imageSha256)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var text = new StringBuilder();
        text.Append("software =\n{\n");
        text.Append(CultureInfo.InvariantCulture, $"\tversion = \"{spec.Version}\";\n");
        if (spec.Models.Count > 0)
        {
            // SWUpdate has no model field; the description carries it for people reading the bundle.
            text.Append(CultureInfo.InvariantCulture, $"\tdescription = \"models: {string.Join(", ", spec.Models)}\";\n");
        }
        text.Append(CultureInfo.InvariantCulture, $"\thardware-compatibility = [ {string.Join(", ", spec.HardwareRevisions.Select(r => $"\"{r}\""))} ];\n");
        text.Append("\timages: (\n\t\t{\n");
        text.Append(CultureInfo.InvariantCulture, $"\t\t\tfilename = \"{spec.ImageFileName}\";\n");
        text.Append(CultureInfo.InvariantCulture, $"\t\t\ttype = \"{spec.Handler}\";\n");
        var targetKey = spec.Handler == "rawfile" ? "path" : "device";
        text.Append(CultureInfo.InvariantCulture, $"\t\t\t{targetKey} = \"{spec.Target}\";\n");
        text.Append(CultureInfo.InvariantCulture, $"\t\t\tsha256 = \"{imageSha256}\";\n");
        text.Append("\t\t}\n\t);\n};\n");
        return text.ToString();
    }

    /// <summary>A detached DER CMS signature of <paramref name="content"/> by <paramref name="signer"/> (which holds its private key).</summary>
    public static byte[] Sign(byte[] content, X509Certificate2 signer)
    {
        ArgumentNullException.ThrowIfNull(signer);
        var cms = new SignedCms(new ContentInfo(content), detached: true);
        cms.ComputeSignature(new CmsSigner(signer)
        {
            IncludeOption = X509IncludeOption.EndCertOnly,
            DigestAlgorithm = new Oid("2.16.840.1.101.3.4.2.1"), // SHA-256
        }, silent: true);
        return cms.Encode();
    }

    /// <summary>
    /// Writes the bundle. The image is read twice: once for its SHA-256 (sw-description comes first
    /// and must declare it), once to copy it, so images of any size take bounded memory.
    /// </summary>
    public static async Task<string> WriteAsync(Stream output, SwuPackageSpec spec, Stream image, X509Certificate2? signer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (Validate(spec) is { Count: > 0 } errors)
        {
            throw new ArgumentException(string.Join(" ", errors), nameof(spec));
        }
        if (!image.CanSeek)
        {
            throw new ArgumentException("The image must be seekable (a file): it is read once for its hash and once to copy.", nameof(image));
        }
        var start = image.Position;
        var sha256 = Convert.ToHexStringLower(await SHA256.HashDataAsync(image, cancellationToken));
        var length = image.Position - start;
        image.Position = start;
        var description = Encoding.UTF8.GetBytes(Describe(spec, sha256));
        var writer = new SwuWriter(output);
        await writer.WriteEntryAsync(SwuBundleReader.DescriptionName, description, cancellationToken);
        if (signer is not null)
        {
            await writer.WriteEntryAsync(SwuBundleReader.SignatureName, Sign(description, signer), cancellationToken);
        }
        await writer.WriteEntryAsync(spec.ImageFileName, image, length, cancellationToken: cancellationToken);
        await writer.FinishAsync(cancellationToken);
        return sha256;
    }

    // libconfig strings: a quote or backslash would need escaping SWUpdate's parser and ours treat
    // differently, and control characters have no place in a version; refuse them.
    private static void Check(List<string> errors, string field, string value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add($"{field}: must not be empty.");
        }
        else if (value.Any(c => c is '"' or '\\' || char.IsControl(c)) || value.Length > 256)
        {
            errors.Add($"{field}: '{value}' has a quote, backslash or control character, or is longer than 256 characters.");
        }
    }
}
