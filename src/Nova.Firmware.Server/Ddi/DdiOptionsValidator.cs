using Microsoft.Extensions.Options;

namespace Nova.Firmware.Server.Ddi;

/// <summary>
/// Checks "Nova:Ddi" at start-up, every bad value named at once. The poll intervals go to devices as
/// hawkBit's "HH:MM:SS" sleep, so they must be whole seconds from 1 s to just under 24 h.
/// </summary>
public sealed class DdiOptionsValidator : IValidateOptions<DdiOptions>
{
    public ValidateOptionsResult Validate(string? name, DdiOptions options)
    {
        var failures = new List<string>();
        void Sleep(TimeSpan value, string setting)
        {
            if (value < TimeSpan.FromSeconds(1) || value >= TimeSpan.FromDays(1) || value.Ticks % TimeSpan.TicksPerSecond != 0)
            {
                failures.Add($"{DdiOptions.Section}:{setting} must be whole seconds between 00:00:01 and 23:59:59 (it is sent to devices as HH:MM:SS); it is {value}.");
            }
        }
        Sleep(options.PollSleep, nameof(options.PollSleep));
        Sleep(options.ActivePollSleep, nameof(options.ActivePollSleep));
        if (options.LastSeenFlushInterval <= TimeSpan.Zero)
        {
            failures.Add($"{DdiOptions.Section}:LastSeenFlushInterval must be a positive duration; it is {options.LastSeenFlushInterval}.");
        }
        if (options.TokenCacheTime < TimeSpan.Zero)
        {
            failures.Add($"{DdiOptions.Section}:TokenCacheTime must not be negative (zero turns the cache off); it is {options.TokenCacheTime}.");
        }
        if (options.ActionCacheTime < TimeSpan.Zero)
        {
            failures.Add($"{DdiOptions.Section}:ActionCacheTime must not be negative; it is {options.ActionCacheTime}.");
        }
        if (!DdiControllerIds.IsPlainIdentifier(options.Tenant ?? ""))
        {
            failures.Add($"{DdiOptions.Section}:Tenant must be a plain identifier (letters, digits, '.', '_', '-'); it is '{options.Tenant}'.");
        }
        if (options.GatewayToken is { } token && string.IsNullOrWhiteSpace(token))
        {
            failures.Add($"{DdiOptions.Section}:GatewayToken must not be blank when set.");
        }
        if (options.PublicBaseUrl is { } url && (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)))
        {
            failures.Add($"{DdiOptions.Section}:PublicBaseUrl must be an absolute http or https URL; it is '{url}'.");
        }
        if (options.AutoRegister && options.GatewayToken is null)
        {
            failures.Add($"{DdiOptions.Section}:AutoRegister needs {DdiOptions.Section}:GatewayToken: only gateway-token polls register unknown devices.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
