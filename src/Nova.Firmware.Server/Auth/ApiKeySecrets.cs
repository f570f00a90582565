using System.Security.Cryptography;
using System.Text;

namespace Nova.Firmware.Server.Auth;

/// <summary>
/// API keys are 256 random bits; only their SHA-256 is stored. A fast hash is right here (unlike
/// passwords): the key has full entropy, so there is nothing to brute-force.
/// </summary>
public static class ApiKeySecrets
{
    public const string KeyPrefix = "nfk_";

    public static string NewKey() => KeyPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
