using Nova.Firmware.Domain.Diagnosis;

namespace Nova.Firmware.Domain.Tests.Diagnosis;

/// <summary>
/// Every tool's own wording (<see cref="ToolLogSamples"/>, each with the file that prints it) gives
/// its cause on its own, even with a generic failure line after it; wording that names no cause
/// stays unknown with a confidence below 0.5.
/// </summary>
public sealed class ToolVocabularyTests
{
    public static TheoryData<ToolLogSample> Samples() => [.. ToolLogSamples.All];

    [Theory]
    [MemberData(nameof(Samples))]
    public void ClassifyLines_ToolLineThenGenericFailure_GivesTheLinesCause(ToolLogSample sample)
    {
        var diagnosis = FailureClassifier.ClassifyLines(["Starting firmware update", sample.Line, "Update failed"]);

        Assert.Equal(sample.Expected, diagnosis.Cause);
        if (sample.Expected == FailureCause.Unknown)
        {
            Assert.InRange(diagnosis.Confidence, 0, 0.49);
            Assert.EndsWith("Last words: \"Update failed\"", diagnosis.Summary, StringComparison.Ordinal);
        }
        else
        {
            Assert.InRange(diagnosis.Confidence, 0.5, 1);
            Assert.Contains(sample.Line.Trim(), diagnosis.Summary, StringComparison.Ordinal);
            Assert.Equal(sample.Line.Trim(), diagnosis.Evidence[0]);
        }
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void ClassifyLines_ToolLineAlone_SameCauseAsWithContext(ToolLogSample sample)
    {
        Assert.Equal(sample.Expected, FailureClassifier.ClassifyLines([sample.Line]).Cause);
    }
}
