namespace Nova.Firmware.Domain.Common;

/// <summary>
/// What every stored piece of text must satisfy, whoever sent it (operator, CSV file, device).
/// PostgreSQL refuses NUL characters and text that is not valid UTF-8 (a lone UTF-16 surrogate
/// cannot be encoded), and its varchar columns refuse anything longer than their size; SQLite
/// accepts all three. Checking here keeps both databases equal and turns them into field errors.
/// </summary>
public static class TextRules
{
    /// <summary>True when the text can be stored at all: no NUL, no lone surrogate.</summary>
    public static bool IsStorable(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '\0' || char.IsLowSurrogate(c))
            {
                return false;
            }
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= value.Length || !char.IsLowSurrogate(value[i + 1]))
                {
                    return false;
                }
                i++;
            }
        }
        return true;
    }

    /// <summary>Control characters (C0, DEL, C1): never part of a name, an identifier or a version.</summary>
    public static bool HasControlCharacters(string value) => value.Any(char.IsControl);

    /// <summary>The problem with a one-line value (name, identifier, version), or null when it is acceptable.</summary>
    public static string? LineProblem(string value, int maxLength) =>
        value.Length > maxLength ? $"Must be at most {maxLength} characters."
        : HasControlCharacters(value) ? "Must not contain control characters."
        : !IsStorable(value) ? "Must be valid Unicode text."
        : null;

    /// <summary>The problem with free text (notes, log lines): line breaks and tabs allowed, NUL and broken Unicode not.</summary>
    public static string? TextProblem(string value, int maxLength) =>
        value.Length > maxLength ? $"Must be at most {maxLength} characters."
        : !IsStorable(value) ? "Must not contain NUL characters or broken Unicode."
        : null;
}
