namespace Nova.Firmware.Domain.Devices;

/// <summary>
/// Credentials as stored: for one device (<see cref="DeviceId"/>) or for a site (<see cref="Site"/>),
/// never both. The password is kept only in protected (encrypted) form; the host does the protecting.
/// </summary>
public sealed class StoredCredentials
{
    public Guid Id { get; set; }
    public Guid? DeviceId { get; set; }
    public string? Site { get; set; }
    public required string Username { get; set; }
    /// <summary>The password, encrypted by the host; its plain form is never stored.</summary>
    public required string ProtectedPassword { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    /// <summary>The actor who last set them, as the audit log names it.</summary>
    public required string UpdatedBy { get; set; }

    public CredentialScope Scope => DeviceId is null ? CredentialScope.Site : CredentialScope.Device;
}
