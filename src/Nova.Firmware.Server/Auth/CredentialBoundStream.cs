using System.Runtime.CompilerServices;
using System.Security.Claims;
using Microsoft.Extensions.Options;
using Nova.Firmware.Persistence;
using Nova.Firmware.Server.Hardening;

namespace Nova.Firmware.Server.Auth;

/// <summary>
/// Keeps a long-lived answer (an event stream) only as long as the credential that opened it: it
/// ends at once when the credential is revoked on this replica, and at the next periodic check
/// (<see cref="SecurityOptions.CredentialRecheckInterval"/>) when it was revoked on another.
/// </summary>
public sealed class CredentialBoundStream(CredentialRevocations revocations, IServiceScopeFactory scopes, TimeProvider time, IOptions<SecurityOptions> options)
{
    public async IAsyncEnumerable<T> WhileValidAsync<T>(ClaimsPrincipal principal, Func<CancellationToken, IAsyncEnumerable<T>> source,
        [EnumeratorCancellation] CancellationToken requestAborted)
    {
        var subject = principal.FindFirstValue(CredentialCheck.SubjectClaim);
        var owner = principal.FindFirstValue(CredentialCheck.OwnerClaim);
        if (subject is null)
        {
            yield break;
        }
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(requestAborted, revocations.Watch(subject),
            owner is null ? CancellationToken.None : revocations.Watch(CredentialRevocations.UserSubject(owner)));
        var recheck = RecheckAsync(principal, stop);
        try
        {
            await using var items = source(stop.Token).GetAsyncEnumerator(stop.Token);
            while (true)
            {
                bool more;
                try
                {
                    more = await items.MoveNextAsync();
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    more = false;
                }
                if (!more)
                {
                    yield break;
                }
                yield return items.Current;
            }
        }
        finally
        {
            await stop.CancelAsync();
            await recheck;
        }
    }

    private async Task RecheckAsync(ClaimsPrincipal principal, CancellationTokenSource stop)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                await Task.Delay(options.Value.CredentialRecheckInterval, time, stop.Token);
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<FirmwareDbContext>();
                if (!await CredentialCheck.StillStandsAsync(db, principal, stop.Token))
                {
                    await stop.CancelAsync();
                }
            }
        }
        catch (OperationCanceledException)
        {
            // the stream ended
        }
#pragma warning disable CA1031 // fail closed: a check that cannot be made ends the stream; the client reconnects and signs in again
        catch (Exception)
        {
            await stop.CancelAsync();
        }
#pragma warning restore CA1031
    }
}
