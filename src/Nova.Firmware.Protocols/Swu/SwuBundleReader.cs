using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace Nova.Firmware.Protocols.Swu;

/// <summary>
/// Reads and verifies an SWUpdate bundle in one forward pass, as SWUpdate itself does on a device:
/// <c>sw-description</c> must come first, <c>sw-description.sig</c> may come second, then the
/// artifacts. Every artifact sw-description names must be present and match its declared SHA-256,
/// entry names must be plain file names, and the archive must end with a cpio trailer. Entries the
/// description does not name are read past (and counted) but not otherwise checked.
/// </summary>
public static class SwuBundleReader
{
    public const string DescriptionName = "sw-description";
    public const string SignatureName = "sw-description.sig";
    /// <summary>Real descriptions are a few kilobytes; anything near this is not one.</summary>
    public const int MaxDescriptionBytes = 1024 * 1024;
    public const int MaxSignatureBytes = 64 * 1024;
    public const int MaxEntries = 4096;

    /// <exception cref="SwuFormatException">The bundle is malformed or an artifact does not match its hash.</exception>
    public static async Task<SwuBundle> ReadAsync(Stream input, CancellationToken cancellationToken = default)
    {
        var cpio = new CpioReader(input);
        var first = await cpio.NextAsync(cancellationToken) ?? throw new SwuFormatException("The archive is empty: it holds no sw-description.");
        if (first.Name != DescriptionName)
        {
            throw new SwuFormatException($"The first entry must be '{DescriptionName}' but is '{Sanitize(first.Name)}'.");
        }
        CheckRegular(first);
        if (first.Size > MaxDescriptionBytes)
        {
            throw new SwuFormatException($"'{DescriptionName}' claims {first.Size} bytes; at most {MaxDescriptionBytes} are accepted.");
        }
        var descriptionBytes = await ReadAllAsync(cpio.OpenData(), (int)first.Size, cancellationToken);
        string descriptionText;
        try
        {
            descriptionText = new UTF8Encoding(false, true).GetString(descriptionBytes);
        }
        catch (DecoderFallbackException)
        {
            throw new SwuFormatException($"'{DescriptionName}' is not valid UTF-8 text.");
        }
        var description = SwDescription.Parse(descriptionText);
        var expected = ExpectedHashes(description);

        var entries = new List<CpioEntry> { first };
        var seen = new HashSet<string>(StringComparer.Ordinal) { first.Name };
        byte[]? signature = null;
        while (await cpio.NextAsync(cancellationToken) is { } entry)
        {
            if (entries.Count >= MaxEntries)
            {
                throw new SwuFormatException($"The archive holds more than {MaxEntries} entries.");
            }
            CheckName(entry);
            CheckRegular(entry);
            if (!seen.Add(entry.Name))
            {
                throw new SwuFormatException($"'{entry.Name}' appears twice in the archive.");
            }
            entries.Add(entry);
            if (entry.Name == SignatureName)
            {
                if (entries.Count != 2)
                {
                    throw new SwuFormatException($"'{SignatureName}' must directly follow '{DescriptionName}'.");
                }
                if (entry.Size > MaxSignatureBytes)
                {
                    throw new SwuFormatException($"'{SignatureName}' claims {entry.Size} bytes; at most {MaxSignatureBytes} are accepted.");
                }
                signature = await ReadAllAsync(cpio.OpenData(), (int)entry.Size, cancellationToken);
            }
            else if (expected.TryGetValue(entry.Name, out var declared))
            {
                var actual = await Sha256Async(cpio.OpenData(), cancellationToken);
                if (actual != declared)
                {
                    throw new SwuFormatException($"HASH mismatch for '{entry.Name}': sw-description declares {declared}, the bundle's data hashes to {actual}.");
                }
            }
        }

        var missing = expected.Keys.Where(name => !seen.Contains(name)).ToList();
        if (missing.Count > 0)
        {
            throw new SwuFormatException($"sw-description lists {string.Join(", ", missing.Select(m => $"'{m}'"))} but the bundle does not contain {(missing.Count == 1 ? "it" : "them")}.");
        }
        return new SwuBundle(description, descriptionBytes, signature, entries);
    }

    /// <summary>Filename → declared SHA-256; a named artifact without a hash could not be verified.</summary>
    private static Dictionary<string, string> ExpectedHashes(SwDescription description)
    {
        var expected = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var artifact in description.Artifacts)
        {
            CheckName(artifact.FileName, "sw-description names");
            if (artifact.Sha256 is null)
            {
                throw new SwuFormatException($"sw-description gives no sha256 for '{artifact.FileName}': every artifact must carry one.");
            }
            if (artifact.Sha256.Length != 64 || !artifact.Sha256.All(char.IsAsciiHexDigit))
            {
                throw new SwuFormatException($"sw-description gives an invalid sha256 for '{artifact.FileName}' (64 hex digits expected).");
            }
            if (expected.TryGetValue(artifact.FileName, out var other) && other != artifact.Sha256)
            {
                throw new SwuFormatException($"sw-description gives two different sha256 values for '{artifact.FileName}'.");
            }
            expected[artifact.FileName] = artifact.Sha256;
        }
        return expected;
    }

    private static void CheckName(CpioEntry entry) => CheckName(entry.Name, "The archive contains");

    /// <summary>SWUpdate extracts entries by name into one directory: only plain names are safe.</summary>
    private static void CheckName(string name, string context)
    {
        if (name.StartsWith('/') || name.StartsWith('\\'))
        {
            throw new SwuFormatException($"{context} an absolute path '{Sanitize(name)}': only plain file names are allowed.");
        }
        if (name.Split('/', '\\').Any(part => part == ".."))
        {
            throw new SwuFormatException($"{context} a path with '..' ('{Sanitize(name)}'): only plain file names are allowed.");
        }
        if (name.Contains('/') || name.Contains('\\') || name is "." || name.Any(char.IsControl))
        {
            throw new SwuFormatException($"{context} '{Sanitize(name)}', which is not a plain file name.");
        }
    }

    private static void CheckRegular(CpioEntry entry)
    {
        if (!entry.IsRegularFile)
        {
            throw new SwuFormatException($"'{Sanitize(entry.Name)}' is not a regular file (mode {entry.Mode:x}).");
        }
    }

    private static string Sanitize(string name) =>
        new(name.Take(200).Select(c => char.IsControl(c) ? '?' : c).ToArray());

    private static async Task<byte[]> ReadAllAsync(Stream data, int size, CancellationToken cancellationToken)
    {
        var bytes = new byte[size];
        await data.ReadExactlyAsync(bytes, cancellationToken);
        return bytes;
    }

    private static async Task<string> Sha256Async(Stream data, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(81920);
        try
        {
            int read;
            while ((read = await data.ReadAsync(buffer, cancellationToken)) > 0)
            {
                hash.AppendData(buffer, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
