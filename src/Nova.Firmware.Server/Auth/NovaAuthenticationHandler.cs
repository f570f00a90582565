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
/// for scripts. (Devices authenticate separately, with DDI target and gateway tokens.) The database
/// and the sign-in check are resolved only for a Basic or Bearer header: this handler runs for every
/// request with an Authorization header, device polls included, and a database context built for
/// each of them was a tenth of a poll's cost.
/// </summary>
public sealed class NovaAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IProblemDetailsService problems,
    TimeProvider time) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <summary>Set when a sign-in was refused without checking the password: the challenge answers 429 or 503, not 401.</summary>
    private const string RefusalItem = "nova:sign-in-refusal";

    private sealed record Refusal(int Status, string Title, string Detail, TimeSpan RetryAfter);

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
        var result = await Context.RequestServices.GetRequiredService<PasswordSignIn>().CheckAsync(userName, password, Context.Connection.RemoteIpAddress, Context.RequestAborted);
        switch (result.Refusal)
        {
            case PasswordSignInRefusal.Throttled:
                Context.Items[RefusalItem] = new Refusal(StatusCodes.Status429TooManyRequests, "Too many failed sign-ins",
                    "Sign-ins for this user name or from this address failed too often; wait before trying again.", result.RetryAfter);
                return AuthenticateResult.Fail("Too many failed sign-ins.");
            case PasswordSignInRefusal.Busy:
                Context.Items[RefusalItem] = new Refusal(StatusCodes.Status503ServiceUnavailable, "Sign-in busy",
                    "Too many sign-ins are being checked at once; try again shortly.", result.RetryAfter);
                return AuthenticateResult.Fail("Sign-in busy.");
            case PasswordSignInRefusal.Invalid:
                return AuthenticateResult.Fail("Invalid user name or password.");
            case PasswordSignInRefusal.None:
            default:
                break;
        }
        var user = result.User!;
        return Success(user.UserName, user.Role, "basic", CredentialRevocations.UserSubject(user.UserName), user.UserName);
    }

    private async Task<AuthenticateResult> AuthenticateApiKeyAsync(string key)
    {
        var hash = ApiKeySecrets.Hash(key);
        var db = Context.RequestServices.GetRequiredService<FirmwareDbContext>();
        var apiKey = await db.Set<ApiKey>().AsNoTracking().SingleOrDefaultAsync(k => k.KeyHash == hash, Context.RequestAborted);
        if (apiKey is null || !apiKey.IsActive)
        {
            return AuthenticateResult.Fail("Unknown or revoked API key.");
        }
        // A key speaks for the user who created it, never for more: it stops when they are disabled,
        // deleted, or lose the key's role.
        if (CredentialCheck.OwnerProblem(apiKey, await CredentialCheck.FindOwnerAsync(db, apiKey, Context.RequestAborted)) is { } problem)
        {
            return AuthenticateResult.Fail(problem);
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
        return Success($"apikey:{apiKey.Name}", apiKey.Role, "apikey", CredentialRevocations.KeySubject(apiKey.Id), CredentialCheck.OwnerOf(apiKey)!);
    }

    private AuthenticateResult Success(string name, UserRole role, string method, string subject, string owner)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.Name, name), new(AuthMethodClaim, method), new(CredentialCheck.SubjectClaim, subject), new(CredentialCheck.OwnerClaim, owner),
        };
        claims.AddRange(Policies.RolesIncludedIn(role).Select(r => new Claim(ClaimTypes.Role, r)));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (Context.Items[RefusalItem] is Refusal refusal)
        {
            Response.StatusCode = refusal.Status;
            Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(refusal.RetryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            await problems.WriteAsync(new ProblemDetailsContext
            {
                HttpContext = Context,
                ProblemDetails = new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = refusal.Status, Title = refusal.Title, Detail = refusal.Detail },
            });
            return;
        }
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        // A Basic challenge makes a browser open its own sign-in prompt, which then remembers the
        // password for every later request (including forged cross-site ones). Browsers announce
        // themselves with Sec-Fetch-Mode; they get the Bearer challenge only, and the API page signs
        // in explicitly (its Authorize button) instead.
        Response.Headers.WWWAuthenticate = Request.Headers.ContainsKey("Sec-Fetch-Mode")
            ? "Bearer realm=\"Nova Firmware\""
            : "Basic realm=\"Nova Firmware\", Bearer";
    }
}
