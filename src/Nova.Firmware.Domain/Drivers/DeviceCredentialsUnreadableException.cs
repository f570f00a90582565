namespace Nova.Firmware.Domain.Drivers;

/// <summary>
/// Credentials are stored for the device but cannot be decrypted here: typically a replica whose
/// key ring is not shared with the one that stored them. Re-entering the credentials, or sharing
/// the key ring, fixes it; the message says which scope is affected and never holds the secret.
/// </summary>
public sealed class DeviceCredentialsUnreadableException(string message, Exception? innerException = null)
    : Exception(message, innerException);
