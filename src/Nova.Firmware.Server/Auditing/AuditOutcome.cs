namespace Nova.Firmware.Server.Auditing;

/// <summary>The outcome words stored in the audit log; fixed, since scripts filter on them.</summary>
public static class AuditOutcome
{
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Denied = "denied";

    public static string Of(int statusCode) => statusCode switch
    {
        StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden => Denied,
        < 400 => Succeeded,
        _ => Failed,
    };
}
