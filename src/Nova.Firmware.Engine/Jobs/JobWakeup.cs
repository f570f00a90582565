namespace Nova.Firmware.Engine.Jobs;

/// <summary>
/// Lets a request that recorded news for a job (feedback, configData) wake this replica's loop at
/// once instead of at its next tick. Only a shortcut: other replicas find the job by NextActionAt.
/// </summary>
public sealed class JobWakeup
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Wake()
    {
        try
        {
            if (_signal.CurrentCount == 0)
            {
                _signal.Release();
            }
        }
        catch (SemaphoreFullException)
        {
            // already signalled
        }
    }

    /// <summary>Waits for a wake-up or the timeout, whichever comes first (real time: this only paces polling).</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        await _signal.WaitAsync(timeout, cancellationToken);
}
