using Microsoft.Extensions.Options;

namespace Nova.Firmware.Server.Hardening;

/// <summary>The "Nova:Security" section: browsers and long-lived requests.</summary>
public sealed class SecurityOptions
{
    public const string Section = "Nova:Security";

    /// <summary>
    /// Other origins (scheme://host[:port]) whose pages may change things through the management API,
    /// for a console served from another host. The server's own origin (and Nova:Ddi:PublicBaseUrl's) is always allowed.
    /// </summary>
    public List<string> AllowedOrigins { get; set; } = [];

    /// <summary>
    /// How often an open event stream re-reads whether its credential still stands. Revoking on the
    /// replica the stream is on ends it at once; on other replicas within this time.
    /// </summary>
    public TimeSpan CredentialRecheckInterval { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>Checks "Nova:Security" at start-up.</summary>
public sealed class SecurityOptionsValidator : IValidateOptions<SecurityOptions>
{
    public ValidateOptionsResult Validate(string? name, SecurityOptions options)
    {
        var failures = new List<string>();
        foreach (var origin in options.AllowedOrigins)
        {
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
                || uri.GetLeftPart(UriPartial.Authority) != origin.TrimEnd('/'))
            {
                failures.Add($"{SecurityOptions.Section}:AllowedOrigins: '{origin}' is not an origin (scheme://host[:port], no path).");
            }
        }
        if (options.CredentialRecheckInterval < TimeSpan.FromMilliseconds(100) || options.CredentialRecheckInterval > TimeSpan.FromHours(1))
        {
            failures.Add($"{SecurityOptions.Section}:CredentialRecheckInterval must be between 100 ms and 1 hour; it is {options.CredentialRecheckInterval}.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
