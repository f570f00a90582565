using Nova.Firmware.Domain.Diagnosis;
using Nova.Firmware.Domain.Preflight;

namespace Nova.Firmware.Domain.Rollouts;

/// <summary>
/// How a rollout tries a device again after its job failed or was blocked: up to
/// <see cref="MaxAttempts"/> jobs in all, each retry after a backoff that doubles up to
/// <see cref="MaxBackoff"/>. Never for the wrong hardware (the same file will never fit), and a
/// blocked job only when its check can pass by itself (a power event, an unanswered device).
/// </summary>
public sealed class RetryPolicy
{
    /// <summary>Jobs per device in all, the first included; 1 means no retry.</summary>
    public int MaxAttempts { get; set; } = 3;
    public TimeSpan Backoff { get; set; } = TimeSpan.FromMinutes(5);
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromHours(1);

    /// <summary>When the next job may start after <paramref name="attemptsMade"/> jobs; null when there is none.</summary>
    public DateTimeOffset? NextAttemptAt(int attemptsMade, FailureCause? cause, PreflightCheck? blockingCheck, bool blocked, DateTimeOffset now)
    {
        if (attemptsMade >= MaxAttempts || !IsRetryable(cause, blockingCheck, blocked))
        {
            return null;
        }
        var factor = Math.Pow(2, Math.Max(0, attemptsMade - 1));
        var wait = TimeSpan.FromTicks((long)Math.Min(Backoff.Ticks * factor, MaxBackoff.Ticks));
        return now + wait;
    }

    /// <summary>Whether another attempt could end differently at all.</summary>
    public static bool IsRetryable(FailureCause? cause, PreflightCheck? blockingCheck, bool blocked)
    {
        if (cause == FailureCause.WrongHardware || blockingCheck == PreflightCheck.Compatibility)
        {
            return false;
        }
        if (blocked)
        {
            return blockingCheck switch
            {
                PreflightCheck.Power or PreflightCheck.Reachability or PreflightCheck.Health => true,
                PreflightCheck.Space or PreflightCheck.Checksum or PreflightCheck.Compatibility or null => false,
                _ => throw new ArgumentOutOfRangeException(nameof(blockingCheck), blockingCheck, "Unknown pre-flight check."),
            };
        }
        return true;
    }
}
