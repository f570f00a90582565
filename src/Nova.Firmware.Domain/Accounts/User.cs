namespace Nova.Firmware.Domain.Accounts;

/// <summary>An operator account. The password is only ever kept as a hash.</summary>
public sealed class User
{
    public Guid Id { get; set; }
    public required string UserName { get; set; }
    public required string PasswordHash { get; set; }
    public UserRole Role { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public bool Disabled { get; set; }
}
