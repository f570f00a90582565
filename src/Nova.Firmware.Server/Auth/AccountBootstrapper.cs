using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Nova.Firmware.Domain.Accounts;
using Nova.Firmware.Persistence;
using Nova.Firmware.Server.Hosting;

namespace Nova.Firmware.Server.Auth;

/// <summary>Creates the first admin on first start, with Nova:AdminPassword or a generated one printed once.</summary>
public sealed partial class AccountBootstrapper(FirmwareDbContext db, PasswordVerifier passwords, IOptions<NovaOptions> options, TimeProvider time, ILogger<AccountBootstrapper> log)
{
    public const string AdminUserName = "admin";

    public async Task EnsureAdminAsync(CancellationToken cancellationToken)
    {
        if (await db.Set<User>().AnyAsync(u => u.UserName == AdminUserName, cancellationToken))
        {
            return;
        }
        var configured = options.Value.AdminPassword;
        var password = string.IsNullOrEmpty(configured)
            ? Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)).Replace('+', 'x').Replace('/', 'y')
            : configured;
        var admin = new User { Id = Guid.NewGuid(), UserName = AdminUserName, PasswordHash = "", Role = UserRole.Admin, CreatedAt = time.GetUtcNow() };
        admin.PasswordHash = passwords.Hash(admin, password);
        db.Add(admin);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another replica created it first between our check and our insert.
            if (await db.Set<User>().AsNoTracking().AnyAsync(u => u.UserName == AdminUserName, cancellationToken))
            {
                return;
            }
            throw;
        }
        if (string.IsNullOrEmpty(configured))
        {
            // Printed once, on the console only: it is not stored anywhere in clear.
            Console.WriteLine($"Nova Firmware: created user '{AdminUserName}' with password: {password}");
            Console.WriteLine("Nova Firmware: set Nova:AdminPassword (env Nova__AdminPassword) to choose it yourself.");
        }
        LogAdminCreated(log, AdminUserName);
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Created the first admin account {UserName}")]
    private static partial void LogAdminCreated(ILogger logger, string userName);
}
