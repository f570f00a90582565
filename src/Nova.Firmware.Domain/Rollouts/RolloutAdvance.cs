namespace Nova.Firmware.Domain.Rollouts;

/// <summary>What a running rollout does next.</summary>
public enum RolloutMove
{
    /// <summary>Start jobs for due devices of the opened waves, within the limits and the window.</summary>
    Dispatch = 0,
    OpenNextWave = 1,
    Pause = 2,
    AwaitApproval = 3,
    Complete = 4,
}

public sealed record RolloutDecision(RolloutMove Move, string Reason);

/// <summary>
/// The rollout's rules in one place, read from its waves' tallies: the error threshold pauses
/// first; a wave opens the next only when it is done and passed its success gate (and, when asked,
/// an operator approved); the last wave done completes the rollout.
/// </summary>
public static class RolloutAdvance
{
    public static RolloutDecision Decide(Rollout rollout, IReadOnlyList<WaveTally> tallies)
    {
        ArgumentNullException.ThrowIfNull(rollout);
        ArgumentNullException.ThrowIfNull(tallies);
        var opened = tallies.Where(t => t.Wave <= rollout.OpenedWave).ToList();
        if (ThresholdBreach(rollout, opened) is { } breach)
        {
            return new RolloutDecision(RolloutMove.Pause, breach);
        }
        if (!opened.All(t => t.IsDone))
        {
            return new RolloutDecision(RolloutMove.Dispatch, "Flashing the opened waves.");
        }
        var current = opened.LastOrDefault();
        if (current is not null && current.SuccessPercent < rollout.Strategy.SuccessGatePercent)
        {
            return new RolloutDecision(RolloutMove.Pause,
                $"{WaveName(rollout, current.Wave)} ended with {current.SuccessPercent:0.#}% succeeded, below the {rollout.Strategy.SuccessGatePercent}% success gate " +
                $"({current.Failed} failed, {current.Blocked} blocked, {current.Cancelled} cancelled). Resume to open the next wave anyway.");
        }
        if (rollout.OpenedWave >= rollout.WaveCount - 1)
        {
            var all = tallies.Aggregate((Succeeded: 0, Failed: 0, Blocked: 0, Skipped: 0, Cancelled: 0),
                (sum, t) => (sum.Succeeded + t.Succeeded, sum.Failed + t.Failed, sum.Blocked + t.Blocked, sum.Skipped + t.Skipped, sum.Cancelled + t.Cancelled));
            return rollout.Strategy.JoinLateDevices
                ? new RolloutDecision(RolloutMove.Dispatch, "Every device so far is done; devices that start matching the target join as they appear.")
                : new RolloutDecision(RolloutMove.Complete,
                    $"Every wave is done: {all.Succeeded} succeeded, {all.Skipped} already up to date, {all.Failed} failed, {all.Blocked} blocked, {all.Cancelled} cancelled.");
        }
        if (rollout.Strategy.ApproveEachWave && rollout.OpenedWave >= 0)
        {
            return new RolloutDecision(RolloutMove.AwaitApproval,
                $"{WaveName(rollout, rollout.OpenedWave)} passed its gate ({current?.SuccessPercent ?? 100:0.#}% succeeded); approve to open {WaveName(rollout, rollout.OpenedWave + 1)}.");
        }
        return new RolloutDecision(RolloutMove.OpenNextWave, $"Opening {WaveName(rollout, rollout.OpenedWave + 1)}.");
    }

    /// <summary>Why the error threshold stops the rollout, or null when it does not.</summary>
    public static string? ThresholdBreach(Rollout rollout, IReadOnlyList<WaveTally> opened)
    {
        ArgumentNullException.ThrowIfNull(rollout);
        var failed = opened.Sum(t => t.Failed);
        if (failed <= rollout.AcknowledgedFailures)
        {
            return null;
        }
        var s = rollout.Strategy;
        if (s.ErrorThresholdCount is { } count && failed >= count)
        {
            return $"Error threshold reached: {failed} devices failed (threshold {count}).";
        }
        var targeted = opened.Sum(t => t.Total);
        if (s.ErrorThresholdPercent is { } percent && targeted > 0 && 100.0 * failed / targeted >= percent)
        {
            return $"Error threshold reached: {failed} of {targeted} devices in the opened waves failed ({100.0 * failed / targeted:0.#}%, threshold {percent}%).";
        }
        return null;
    }

    public static string WaveName(Rollout rollout, int wave)
    {
        ArgumentNullException.ThrowIfNull(rollout);
        return rollout.Strategy.CanaryCount > 0
            ? wave == 0 ? "the canary wave" : $"wave {wave} of {rollout.WaveCount - 1}"
            : $"wave {wave + 1} of {rollout.WaveCount}";
    }
}
