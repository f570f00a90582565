using System.Security.Claims;
using Nova.Firmware.Domain.Accounts;
using Nova.Firmware.Persistence;
using Nova.Firmware.Server.Auditing;

namespace Nova.Firmware.Server.WebConsole;

/// <summary>
/// Console actions run in-process over the circuit, not as HTTP calls, so the audit middleware
/// never sees them: each one is written here instead, named like the API call it stands for.
/// </summary>
public sealed class ConsoleAudit(IServiceScopeFactory scopes, TimeProvider time)
{
    public async Task RecordAsync(ClaimsPrincipal user, string action, string target, int status)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FirmwareDbContext>();
        db.Add(new AuditEntry
        {
            At = time.GetUtcNow(),
            Actor = Truncate(user.Identity?.Name ?? "anonymous", 200),
            Action = Truncate(action, 200),
            Target = Truncate(target, 500),
            StatusCode = status,
            Outcome = AuditOutcome.Of(status),
            Detail = "console",
        });
        await db.SaveChangesAsync(CancellationToken.None);
    }

    private static string Truncate(string value, int max) => value.Length <= max ? value : value[..max];
}
