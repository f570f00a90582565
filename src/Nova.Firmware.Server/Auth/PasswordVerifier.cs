using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Nova.Firmware.Domain.Accounts;

namespace Nova.Firmware.Server.Auth;

/// <summary>
/// Hashes and checks passwords with ASP.NET Core Identity's PBKDF2 hasher. Basic auth sends the
/// password on every request and PBKDF2 is slow on purpose, so a successful check is remembered
/// (keyed by a salted digest of the stored hash and password, never the password itself) for a minute.
/// </summary>
/// <remarks>
/// Checks run on a bounded pool (<see cref="SignInOptions.HashingConcurrency"/> at a time, at most
/// <see cref="SignInOptions.HashingQueue"/> waiting): a flood of wrong passwords keeps that many
/// processors busy, never all of them, and the excess is refused at once. A user name that does not
/// exist is checked against a dummy hash of the same cost, so the answer takes as long either way.
/// </remarks>
public sealed class PasswordVerifier
{
    private static readonly TimeSpan RememberFor = TimeSpan.FromMinutes(1);
    private readonly IPasswordHasher<User> _hasher;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _recent = new();
    private readonly byte[] _salt = RandomNumberGenerator.GetBytes(16);
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _pool;
    private readonly int _limit;
    private readonly User _nobody;
    private int _admitted;

    /// <param name="hasher">Identity's PBKDF2 hasher unless given; tests pass one that records the work each check does.</param>
    public PasswordVerifier(TimeProvider time, IOptions<SignInOptions> options, IPasswordHasher<User>? hasher = null)
    {
        _hasher = hasher ?? new PasswordHasher<User>();
        _time = time;
        _pool = new SemaphoreSlim(options.Value.ResolvedHashingConcurrency);
        // Running plus waiting.
        _limit = options.Value.ResolvedHashingConcurrency + options.Value.HashingQueue;
        _nobody = new User { Id = Guid.Empty, UserName = "", PasswordHash = "", Role = UserRole.Viewer };
        _nobody.PasswordHash = _hasher.HashPassword(_nobody, Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)));
    }

    public string Hash(User user, string password) => _hasher.HashPassword(user, password);

    /// <summary>
    /// Checks a sign-in's password; <paramref name="user"/> null (no such user) costs the same and fails.
    /// </summary>
    /// <exception cref="PasswordCheckBusyException">Too many checks are waiting already.</exception>
    public async Task<bool> VerifyAsync(User? user, string password, CancellationToken cancellationToken)
    {
        string? key = null;
        if (user is not null && IsRemembered(user, password, out key))
        {
            return true;
        }
        if (Interlocked.Increment(ref _admitted) > _limit)
        {
            Interlocked.Decrement(ref _admitted);
            throw new PasswordCheckBusyException();
        }
        try
        {
            await _pool.WaitAsync(cancellationToken);
            try
            {
                // On a pool thread: the caller's thread is free while PBKDF2 runs.
                return await Task.Run(() =>
                {
                    if (user is null)
                    {
                        _hasher.VerifyHashedPassword(_nobody, _nobody.PasswordHash, password);
                        return false;
                    }
                    return Check(user, password, key!);
                }, CancellationToken.None);
            }
            finally
            {
                _pool.Release();
            }
        }
        finally
        {
            Interlocked.Decrement(ref _admitted);
        }
    }

    private bool IsRemembered(User user, string password, out string key)
    {
        key = Convert.ToHexString(HMACSHA256.HashData(_salt, Encoding.UTF8.GetBytes(user.PasswordHash + "\n" + password)));
        return _recent.TryGetValue(key, out var until) && until > _time.GetUtcNow();
    }

    private bool Check(User user, string password, string key)
    {
        var ok = _hasher.VerifyHashedPassword(user, user.PasswordHash, password) != PasswordVerificationResult.Failed;
        if (ok)
        {
            if (_recent.Count > 10_000)
            {
                _recent.Clear();
            }
            _recent[key] = _time.GetUtcNow() + RememberFor;
        }
        return ok;
    }
}

/// <summary>More sign-ins are waiting for a password check than the server lets wait; answered 503.</summary>
public sealed class PasswordCheckBusyException() : Exception("Too many sign-ins are waiting for a password check.");
