using Nova.Firmware.Domain.Common;

namespace Nova.Firmware.Domain.Devices;

/// <summary>
/// What makes a user name and password acceptable for a device. Messages never quote the value:
/// they end up in problem details, and a password must not travel back even when it is wrong.
/// </summary>
public static class CredentialRules
{
    public const int MaxUsernameLength = 128;
    public const int MaxPasswordLength = 256;
    /// <summary>As <see cref="DeviceRules"/> allows for a device's site.</summary>
    public const int MaxSiteLength = 200;

    public static IReadOnlyList<FieldError> Check(string? username, string? password)
    {
        var errors = new List<FieldError>();
        // A password of spaces is a password; a user name of spaces is a mistake.
        Text(errors, "username", string.IsNullOrWhiteSpace(username) ? null : username, MaxUsernameLength);
        Text(errors, "password", password, MaxPasswordLength);
        return errors;
    }

    /// <summary>A site named in a path: the same limits as the inventory's site field.</summary>
    public static IReadOnlyList<FieldError> CheckSite(string? site)
    {
        var errors = new List<FieldError>();
        Text(errors, "site", string.IsNullOrWhiteSpace(site) ? null : site, MaxSiteLength);
        return errors;
    }

    private static void Text(List<FieldError> errors, string field, string? value, int maxLength)
    {
        if (string.IsNullOrEmpty(value))
        {
            errors.Add(new FieldError(field, "Required."));
        }
        else if (value.Length > maxLength)
        {
            errors.Add(new FieldError(field, $"Must be at most {maxLength} characters."));
        }
        else if (value.Any(char.IsControl))
        {
            // Control characters break the SOAP and HTTP headers the credentials are sent in.
            errors.Add(new FieldError(field, "Must not contain control characters."));
        }
    }
}
