using System.Net;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Nova.Firmware.Domain.Accounts;
using Nova.Firmware.Persistence;

namespace Nova.Firmware.Server.Auth;

/// <summary>What a password sign-in came to: the user, or why not.</summary>
public sealed record PasswordSignInResult(User? User, PasswordSignInRefusal Refusal, TimeSpan RetryAfter)
{
    public bool Succeeded => User is not null;
}

public enum PasswordSignInRefusal
{
    None,
    /// <summary>Unknown user, wrong password or disabled user: deliberately indistinguishable.</summary>
    Invalid,
    /// <summary>Too many failures for this name or address: refused before the password was looked at.</summary>
    Throttled,
    /// <summary>Too many password checks waiting already.</summary>
    Busy,
}

/// <summary>
/// A user name and password checked under the sign-in throttle. One implementation for HTTP Basic
/// and the console's sign-in form, so both count failures, wait and cost the same
/// (docs/security.md#password-guessing).
/// </summary>
public sealed class PasswordSignIn(FirmwareDbContext db, PasswordVerifier passwords, SignInThrottle throttle)
{
    public async Task<PasswordSignInResult> CheckAsync(string userName, string password, IPAddress? address, CancellationToken cancellationToken)
    {
        if (throttle.RetryAfter(userName, address) is { } wait)
        {
            // Refused before any look-up or hashing: the same, and as cheap, for every user name.
            return new(null, PasswordSignInRefusal.Throttled, wait);
        }
        // A name that cannot be stored cannot be a user; it still costs a password check, like any unknown name.
        var user = Domain.Common.TextRules.IsStorable(userName) && userName.Length <= 200
            ? await db.Set<User>().AsNoTracking().SingleOrDefaultAsync(u => u.UserName == userName, cancellationToken)
            : null;
        bool ok;
        try
        {
            // A disabled user's password is checked too, so that answer takes as long as any other.
            ok = await passwords.VerifyAsync(user, password, cancellationToken) && user is { Disabled: false };
        }
        catch (PasswordCheckBusyException)
        {
            return new(null, PasswordSignInRefusal.Busy, TimeSpan.FromSeconds(1));
        }
        if (!ok)
        {
            throttle.Failed(userName, address);
            return new(null, PasswordSignInRefusal.Invalid, TimeSpan.Zero);
        }
        throttle.Succeeded(userName);
        return new(user, PasswordSignInRefusal.None, TimeSpan.Zero);
    }

    /// <summary>The claims every signed-in user carries, whatever the credential: name, method, subject, owner, roles.</summary>
    public static List<Claim> UserClaims(User user, string method)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.Name, user.UserName), new(NovaAuthenticationHandler.AuthMethodClaim, method),
            new(CredentialCheck.SubjectClaim, CredentialRevocations.UserSubject(user.UserName)), new(CredentialCheck.OwnerClaim, user.UserName),
        };
        claims.AddRange(Policies.RolesIncludedIn(user.Role).Select(r => new Claim(ClaimTypes.Role, r)));
        return claims;
    }
}
