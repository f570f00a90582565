namespace Nova.Firmware.Server.Endpoints.Management.Accounts;

// Wire records for accounts and API keys. Secrets go in, never out: the only response that
// carries one is ApiKeyCreated, once.

public sealed record UserCreateRequest(string? UserName, string? Password, string? Role);

/// <summary>Each field is optional: only what is sent changes.</summary>
public sealed record UserUpdateRequest(string? Role = null, bool? Disabled = null, string? Password = null);

public sealed record UserResponse(Guid Id, string UserName, string Role, bool Disabled, DateTimeOffset CreatedAt);

public sealed record ApiKeyCreateRequest(string? Name, string? Role);

public sealed record ApiKeyResponse(Guid Id, string Name, string Prefix, string Role, string CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt, DateTimeOffset? LastUsedAt);

/// <summary>The answer to creating a key: <see cref="Key"/> is shown here and never again.</summary>
public sealed record ApiKeyCreated(Guid Id, string Name, string Prefix, string Role, DateTimeOffset CreatedAt, string Key);
