using Nova.Firmware.Domain.Common;
using Nova.Firmware.Domain.Packages;

namespace Nova.Firmware.Server.Packages;

/// <summary>The metadata fields of an import, as validated.</summary>
internal sealed record ImportMetadata(
    string Vendor, string? Version, IReadOnlyList<string> Models, IReadOnlyList<string>? HardwareRevisions,
    string Soc, PackageKind Kind, string PublishedSha256, string? ReleaseNotes, string? Signature);

/// <summary>
/// Collects the form fields of a multipart import as they stream past and validates them with
/// field-level messages. Validation can run early (before the file part, reporting only fields that
/// are present and wrong) so a bad request fails before gigabytes are uploaded, and runs fully once
/// the body has been read.
/// </summary>
internal sealed class ImportForm
{
    public const string FileField = "file";
    public const int MaxFieldLength = 64 * 1024;
    private const int MaxNameLength = 100;
    private const int MaxListItems = 200;

    private static readonly string[] FieldNames = ["vendor", "version", "models", "hardwareRevisions", "soc", "kind", "sha256", "releaseNotes", "signature"];
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public static bool IsKnownField(string name) => FieldNames.Contains(name, StringComparer.Ordinal);

    /// <returns>False when the field was sent twice.</returns>
    public bool TrySet(string name, string value) => _values.TryAdd(name, value);

    /// <summary>Validates what has arrived. With <paramref name="complete"/> false, absent fields are not errors yet.</summary>
    public Dictionary<string, string[]> Validate(bool complete, bool isSwu, out ImportMetadata? metadata)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        metadata = null;

        var vendor = Name("vendor", required: true);
        var version = Name("version", required: !isSwu);
        var models = NameList("models", required: true);
        var revisions = NameList("hardwareRevisions", required: !isSwu);
        var soc = Name("soc", required: true, maxLength: 50);
        PackageKind kind = default;
        if (Get("kind") is { } kindText)
        {
            if (!WireNames.TryParse(kindText, out kind))
            {
                Add("kind", $"'{kindText}' is not a package kind; use one of: {string.Join(", ", WireNames.Names<PackageKind>())}.");
            }
        }
        else if (complete)
        {
            Add("kind", $"The kind is required: one of {string.Join(", ", WireNames.Names<PackageKind>())}.");
        }
        var sha256 = Get("sha256")?.ToLowerInvariant();
        if (sha256 is not null)
        {
            if (sha256.Length != 64 || !sha256.All(char.IsAsciiHexDigit))
            {
                Add("sha256", "The published SHA-256 must be 64 hexadecimal digits.");
            }
        }
        else if (complete)
        {
            Add("sha256", "The vendor's published SHA-256 is required: it is checked against the file.");
        }
        var signature = Get("signature");
        if (signature is not null && !IsBase64(signature))
        {
            Add("signature", "The signature must be base64.");
        }
        var releaseNotes = _values.TryGetValue("releaseNotes", out var notes) && !string.IsNullOrWhiteSpace(notes) ? notes : null;
        if (releaseNotes is not null && TextRules.TextProblem(releaseNotes, MaxFieldLength) is { } notesProblem)
        {
            Add("releaseNotes", notesProblem);
        }

        if (complete && errors.Count == 0)
        {
            metadata = new ImportMetadata(vendor!, version, models!, revisions, soc!, kind, sha256!, releaseNotes, signature);
        }
        return errors;

        string? Name(string field, bool required, int maxLength = MaxNameLength)
        {
            var value = Get(field);
            if (value is null)
            {
                if (required && complete)
                {
                    Add(field, $"The {field} is required.");
                }
                return null;
            }
            if (value.Length > maxLength)
            {
                Add(field, $"The {field} may be at most {maxLength} characters.");
            }
            else if (TextRules.LineProblem(value, maxLength) is { } problem)
            {
                Add(field, problem);
            }
            return value;
        }

        List<string>? NameList(string field, bool required)
        {
            var value = Get(field);
            if (value is null)
            {
                if (required && complete)
                {
                    Add(field, $"{field} is required: a comma-separated list with at least one entry.");
                }
                return null;
            }
            var items = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToList();
            if (items.Count == 0)
            {
                Add(field, $"{field} must list at least one entry (comma-separated).");
            }
            else if (items.Count > MaxListItems || items.Any(i => TextRules.LineProblem(i, MaxNameLength) is not null))
            {
                Add(field, $"{field} may list at most {MaxListItems} entries of at most {MaxNameLength} characters each, without control characters.");
            }
            return items;
        }

        void Add(string field, string message) => errors[field] = [message];
    }

    private string? Get(string field) =>
        _values.TryGetValue(field, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    private static bool IsBase64(string value)
    {
        var buffer = new byte[((value.Length * 3) / 4) + 3];
        return Convert.TryFromBase64String(value, buffer, out _);
    }
}
