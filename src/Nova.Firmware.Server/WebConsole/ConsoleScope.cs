namespace Nova.Firmware.Server.WebConsole;

/// <summary>
/// A circuit lives as long as its tab, and a page's timer and its buttons can run at once; a
/// DbContext is neither long-lived nor concurrent. Every console operation therefore gets its own
/// service scope, as an HTTP request would.
/// </summary>
public sealed class ConsoleScope(IServiceScopeFactory scopes)
{
    public async Task<T> RunAsync<T>(Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await work(scope.ServiceProvider);
    }
}
