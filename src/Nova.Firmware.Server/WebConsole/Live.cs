namespace Nova.Firmware.Server.WebConsole;

/// <summary>
/// Live pages re-read what they show on a timer while their circuit is open. Polling the
/// database is what every replica can do alike (the event streams are per replica), and a page
/// that misses one tick only shows it a moment later.
/// </summary>
public static class Live
{
    public static async Task Every(TimeSpan interval, Func<Task> refresh, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                try
                {
                    await refresh();
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // A failed refresh leaves the last good view on screen; the next tick tries again.
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The page was closed.
        }
    }
}
