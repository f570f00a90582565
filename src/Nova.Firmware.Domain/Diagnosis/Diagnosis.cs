namespace Nova.Firmware.Domain.Diagnosis;

/// <summary>
/// The classifier's verdict. <see cref="Confidence"/> is in [0, 1]: 0.7 and above means one
/// specific, well-known line (or a strong signal) names the cause; 0.5 to 0.7 means a likely
/// cause from wording several failures share, or a cause whose evidence is contested; below 0.5
/// the cause is always <see cref="FailureCause.Unknown"/>.
/// </summary>
/// <param name="Cause">The cause, or <see cref="FailureCause.Unknown"/> when the evidence is weak or contradicts itself.</param>
/// <param name="Confidence">How sure the verdict is, in [0, 1].</param>
/// <param name="Evidence">The decisive lines (as the device wrote them, trimmed) and signals, most telling first.</param>
public sealed record Diagnosis(FailureCause Cause, double Confidence, IReadOnlyList<string> Evidence)
{
    /// <summary>One readable sentence quoting the decisive line(s): used as a job's status reason.</summary>
    public string Summary { get; init; } = "";
}
