namespace Nova.Firmware.Server.Auth;

/// <summary>The one password rule: for users created through the API and for the first admin's configured password alike.</summary>
public static class PasswordRule
{
    public const int MinLength = 12;
    public const int MaxLength = 256;

    public static string? Problem(string? password) =>
        password is null || password.Length < MinLength ? $"Required: at least {MinLength} characters."
        : password.Length > MaxLength ? $"At most {MaxLength} characters."
        : !Domain.Common.TextRules.IsStorable(password) || password.Any(char.IsControl) ? "Must not contain control characters."
        : null;
}
