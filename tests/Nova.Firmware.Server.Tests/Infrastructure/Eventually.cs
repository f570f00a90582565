namespace Nova.Firmware.Server.Tests.Infrastructure;

/// <summary>Waits for an asynchronous outcome (the engine runs in the background) with a generous bound.</summary>
public static class Eventually
{
    public static async Task<T> GetAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan? within = null, string? what = null)
    {
        var until = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(20));
        T value = await read();
        while (!done(value))
        {
            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException($"Timed out waiting for {what ?? "a condition"}; last value: {value}");
            }
            await Task.Delay(50);
            value = await read();
        }
        return value;
    }
}
