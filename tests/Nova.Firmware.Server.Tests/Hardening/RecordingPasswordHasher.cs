using System.Buffers.Binary;
using System.Collections.Concurrent;
using Microsoft.AspNetCore.Identity;
using Nova.Firmware.Domain.Accounts;

namespace Nova.Firmware.Server.Tests.Hardening;

/// <summary>
/// The work one password check does, read from the stored hash it was checked against: Identity's
/// format marker, PRF, PBKDF2 iteration count and salt and subkey lengths. Two checks with equal work
/// run the same key derivation, so cost the same, without any clock in the test.
/// </summary>
public sealed record HashWork(byte Format, uint Prf, uint Iterations, int SaltLength, int SubkeyLength)
{
    public static HashWork Of(string hashedPassword)
    {
        var bytes = Convert.FromBase64String(hashedPassword);
        if (bytes[0] == 0x00)
        {
            // Identity v2: PBKDF2-HMAC-SHA1, 1000 iterations, 16-byte salt, 32-byte subkey.
            return new HashWork(0x00, 0, 1000, 16, 32);
        }
        var saltLength = (int)BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(9));
        return new HashWork(bytes[0], BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(1)), BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(5)),
            saltLength, bytes.Length - 13 - saltLength);
    }
}

/// <summary>Identity's hasher, recording the work of every password check it runs.</summary>
public sealed class RecordingPasswordHasher : IPasswordHasher<User>
{
    private readonly PasswordHasher<User> _inner = new();
    private readonly ConcurrentQueue<HashWork> _checks = new();

    public string HashPassword(User user, string password) => _inner.HashPassword(user, password);

    public PasswordVerificationResult VerifyHashedPassword(User user, string hashedPassword, string providedPassword)
    {
        _checks.Enqueue(HashWork.Of(hashedPassword));
        return _inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
    }

    /// <summary>The checks run since the last call.</summary>
    public List<HashWork> TakeChecks()
    {
        var taken = new List<HashWork>();
        while (_checks.TryDequeue(out var work))
        {
            taken.Add(work);
        }
        return taken;
    }
}
