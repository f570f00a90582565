using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Nova.Firmware.Persistence;
using Nova.Firmware.Server.Auth;

namespace Nova.Firmware.Server.WebConsole;

/// <summary>
/// A console circuit lives as long as its browser tab; the credential it started with is checked
/// again every half minute, so a disabled or deleted user's open tabs stop working too.
/// </summary>
public sealed class ConsoleAuthenticationStateProvider(ILoggerFactory loggers, IServiceScopeFactory scopes)
    : RevalidatingServerAuthenticationStateProvider(loggers)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromSeconds(30);

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState state, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FirmwareDbContext>();
        return await CredentialCheck.StillStandsAsync(db, state.User, cancellationToken);
    }
}
