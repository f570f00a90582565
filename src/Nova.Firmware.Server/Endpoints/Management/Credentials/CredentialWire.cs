namespace Nova.Firmware.Server.Endpoints.Management.Credentials;

// Wire records of device and site credentials. The password goes in, never out: the answer says
// only that one is set.

public sealed record CredentialsRequest(string? Username, string? Password);

/// <summary>Which credentials apply: <see cref="Scope"/> is <c>device</c> or <c>site</c>.</summary>
public sealed record CredentialsResponse(string Username, bool PasswordSet, string Scope, DateTimeOffset UpdatedAt);
