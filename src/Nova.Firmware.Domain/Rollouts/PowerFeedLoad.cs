namespace Nova.Firmware.Domain.Rollouts;

/// <summary>
/// What one PoE switch (power feed) carries: the draw of every device on it, idle or flashing, and
/// how many flash now (jobs of every rollout and operator, not one rollout's). A device may start
/// flashing only if the switch stays within its budget with it; where the budget is not known, a
/// count limit stands in for it.
/// </summary>
public sealed record PowerFeedLoad(string SwitchId, double? BudgetWatts, double DrawWatts, int Flashing)
{
    /// <summary>Whether one more device, adding <paramref name="extraWatts"/> while it flashes, fits.</summary>
    public bool Admits(double extraWatts, int maxFlashingWithoutBudget) => BudgetWatts is { } budget
        ? DrawWatts + extraWatts <= budget
        : Flashing < maxFlashingWithoutBudget;

    public PowerFeedLoad With(double extraWatts) => this with { DrawWatts = DrawWatts + extraWatts, Flashing = Flashing + 1 };

    public string Describe(int maxFlashingWithoutBudget) => BudgetWatts is { } budget
        ? $"PoE switch {SwitchId} draws {DrawWatts:0.#} W of its {budget:0.#} W budget with {Flashing} flashing"
        : $"PoE switch {SwitchId} has {Flashing} flashing, the most allowed on a feed without a known budget ({maxFlashingWithoutBudget})";
}
