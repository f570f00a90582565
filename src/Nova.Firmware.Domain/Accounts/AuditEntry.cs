namespace Nova.Firmware.Domain.Accounts;

/// <summary>One mutating call: who did what to which resource, when, and how it ended.</summary>
public sealed class AuditEntry
{
    public long Id { get; set; }
    public DateTimeOffset At { get; set; }
    public required string Actor { get; set; }
    public required string Action { get; set; }
    public required string Target { get; set; }
    public int StatusCode { get; set; }
    public required string Outcome { get; set; }
    public string? Detail { get; set; }
}
