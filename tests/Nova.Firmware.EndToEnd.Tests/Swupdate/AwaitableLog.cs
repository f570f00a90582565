namespace Nova.Firmware.EndToEnd.Tests.Swupdate;

/// <summary>
/// A thread-safe, append-only list that tests can wait on: "give me the first entry matching this,
/// or fail after a timeout". Used for SWUpdate's output lines and for recorded HTTP requests.
/// </summary>
public sealed class AwaitableLog<T>
{
    private readonly Lock _gate = new();
    private readonly List<T> _entries = [];
    private readonly List<(Func<T, bool> Predicate, TaskCompletionSource<T> Completion)> _waiters = [];

    public IReadOnlyList<T> Snapshot()
    {
        lock (_gate)
        {
            return [.. _entries];
        }
    }

    public void Add(T entry)
    {
        List<TaskCompletionSource<T>> matched = [];
        lock (_gate)
        {
            _entries.Add(entry);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Predicate(entry))
                {
                    matched.Add(_waiters[i].Completion);
                    _waiters.RemoveAt(i);
                }
            }
        }

        // Completed outside the lock: continuations run asynchronously anyway, but never under our lock.
        foreach (var completion in matched)
        {
            completion.TrySetResult(entry);
        }
    }

    /// <summary>Returns the first entry (already logged or still to come) that matches, or throws <see cref="TimeoutException"/>.</summary>
    public async Task<T> WaitForAsync(Func<T, bool> predicate, TimeSpan timeout, string? description = null)
    {
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            foreach (var entry in _entries)
            {
                if (predicate(entry))
                {
                    return entry;
                }
            }

            _waiters.Add((predicate, completion));
        }

        try
        {
            return await completion.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            lock (_gate)
            {
                _waiters.RemoveAll(w => w.Completion == completion);
            }

            var tail = Snapshot().TakeLast(40).Select(e => $"  {e}");
            throw new TimeoutException(
                $"Nothing matching {description ?? "the predicate"} within {timeout.TotalSeconds:0} s. Last entries:\n{string.Join('\n', tail)}");
        }
    }
}
