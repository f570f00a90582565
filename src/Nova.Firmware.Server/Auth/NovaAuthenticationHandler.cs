using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Nova.Firmware.Domain.Accounts;
using Nova.Firmware.Persistence;

namespace Nova.Firmware.Server.Auth;

/// <summary>
/// The management API's credentials: HTTP Basic for people, <c>Authorization: Bearer &lt;api key&gt;</c>
/// for scripts. (Devices authenticate separately, with DDI target and gateway tokens.)
/// </summary>
public sealed class NovaAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    FirmwareDbContext db,
    PasswordVerifier passwords,
    TimeProvider time) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Nova";
    public const string AuthMethodClaim = "nova:auth";

    /// <summary>LastUsedAt is a hint for admins, not a log: write it at most this often per key.</summary>
    public static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!AuthenticationHeaderValue.TryParse(Request.Headers.Authorization, out var header) || string.IsNullOrEmpty(header.Parameter))
        {
            return AuthenticateResult.NoResult();
        }
        if (header.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
        {
            return await AuthenticateBasicAsync(header.Parameter);
        }
        if (header.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
        {
            return await AuthenticateApiKeyAsync(header.Parameter);
        }
        return AuthenticateResult.NoResult();
    }

    private async Task<AuthenticateResult> AuthenticateBasicAsync(string parameter)
    {
        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(parameter));
        }
        catch (FormatException)
        {
            return AuthenticateResult.Fail("Malformed Basic credentials.");
        }
        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            return AuthenticateResult.Fail("Malformed Basic credentials.");
        }
        var userName = decoded[..colon];
        var password = decoded[(colon + 1)..];
        var user = await db.Set<User>().AsNoTracking().SingleOrDefaultAsync(u => u.UserName == userName, Context.RequestAborted);
        if (user is null || user.Disabled || !passwords.Verify(user, password))
        {
            return AuthenticateResult.Fail("Invalid user name or password.");
        }
        return Success(user.UserName, user.Role, "basic");
    }

    private async Task<AuthenticateResult> AuthenticateApiKeyAsync(string key)
    {
        var hash = ApiKeySecrets.Hash(key);
        var apiKey = await db.Set<ApiKey>().AsNoTracking().SingleOrDefaultAsync(k => k.KeyHash == hash, Context.RequestAborted);
        if (apiKey is null || !apiKey.IsActive)
        {
            return AuthenticateResult.Fail("Unknown or revoked API key.");
        }
        var now = time.GetUtcNow();
        if (apiKey.LastUsedAt is not { } lastUsed || now - lastUsed >= LastUsedResolution)
        {
            // Conditional update: of several replicas or parallel requests, one write wins per minute.
            var staleBefore = now - LastUsedResolution;
            await db.Set<ApiKey>()
                .Where(k => k.Id == apiKey.Id && (k.LastUsedAt == null || k.LastUsedAt <= staleBefore))
                .ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, now), Context.RequestAborted);
        }
        return Success($"apikey:{apiKey.Name}", apiKey.Role, "apikey");
    }

    private AuthenticateResult Success(string name, UserRole role, string method)
    {
        var claims = new List<Claim> { new(ClaimTypes.Name, name), new(AuthMethodClaim, method) };
        claims.AddRange(Policies.RolesIncludedIn(role).Select(r => new Claim(ClaimTypes.Role, r)));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Basic realm=\"Nova Firmware\", Bearer";
        return Task.CompletedTask;
    }
}
