namespace Nova.Firmware.Domain.Accounts;

/// <summary>
/// A key for scripts. The secret is shown once at creation; only its SHA-256 is stored.
/// <see cref="Prefix"/> (the first characters of the key) lets an admin recognise a key in lists.
/// </summary>
public sealed class ApiKey
{
    public Guid Id { get; set; }
    public required string Name { get; set; }
    public required string Prefix { get; set; }
    public required string KeyHash { get; set; }
    public UserRole Role { get; set; }
    public required string CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }

    public bool IsActive => RevokedAt is null;
}
