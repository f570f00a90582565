using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Nova.Firmware.Domain.Accounts;

namespace Nova.Firmware.Server.Auth;

/// <summary>
/// Hashes and checks passwords with ASP.NET Core Identity's PBKDF2 hasher. Basic auth sends the
/// password on every request and PBKDF2 is slow on purpose, so a successful check is remembered
/// (keyed by a salted digest of the stored hash and password, never the password itself) for a minute.
/// </summary>
public sealed class PasswordVerifier(TimeProvider time)
{
    private static readonly TimeSpan RememberFor = TimeSpan.FromMinutes(1);
    private readonly PasswordHasher<User> _hasher = new();
    private readonly ConcurrentDictionary<string, DateTimeOffset> _recent = new();
    private readonly byte[] _salt = RandomNumberGenerator.GetBytes(16);

    public string Hash(User user, string password) => _hasher.HashPassword(user, password);

    public bool Verify(User user, string password)
    {
        var key = Convert.ToHexString(HMACSHA256.HashData(_salt, Encoding.UTF8.GetBytes(user.PasswordHash + "\n" + password)));
        var now = time.GetUtcNow();
        if (_recent.TryGetValue(key, out var until) && until > now)
        {
            return true;
        }
        var ok = _hasher.VerifyHashedPassword(user, user.PasswordHash, password) != PasswordVerificationResult.Failed;
        if (ok)
        {
            if (_recent.Count > 10_000)
            {
                _recent.Clear();
            }
            _recent[key] = now + RememberFor;
        }
        return ok;
    }
}
