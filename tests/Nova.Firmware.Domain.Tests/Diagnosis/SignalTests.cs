using Nova.Firmware.Domain.Diagnosis;

namespace Nova.Firmware.Domain.Tests.Diagnosis;

/// <summary>What the server saw around the failure: reset reason, fallback, boot loops, recovery, silence, upload answers.</summary>
public sealed class SignalTests
{
    public static TheoryData<SignalSample> Samples() => [.. SignalSamples.All];

    [Theory]
    [MemberData(nameof(Samples))]
    public void Classify_Signals_GiveTheirCause(SignalSample sample)
    {
        var diagnosis = FailureClassifier.Classify(sample.Context);

        Assert.Equal(sample.Expected, diagnosis.Cause);
        Assert.InRange(diagnosis.Confidence, sample.Expected == FailureCause.Unknown ? 0 : 0.5, sample.Expected == FailureCause.Unknown ? 0.49 : 1);
    }

    [Fact]
    public void Classify_AbPowerCutBackOnOldSlot_PowerLossSayingBoth()
    {
        var diagnosis = FailureClassifier.Classify(new FailureContext(["Update Installed."], "power-loss", NeverReturned: false, FellBackToPreviousVersion: true));

        Assert.Equal(FailureCause.PowerLoss, diagnosis.Cause);
        Assert.Contains("reset reason 'power-loss'", diagnosis.Summary, StringComparison.Ordinal);
        Assert.Contains("previous version", diagnosis.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Classify_NeverReturned_ModerateConfidenceOnly()
    {
        var diagnosis = FailureClassifier.Classify(new FailureContext([], null, NeverReturned: true, FellBackToPreviousVersion: false));

        Assert.Equal(FailureCause.Unreachable, diagnosis.Cause);
        Assert.InRange(diagnosis.Confidence, 0.5, 0.69);
    }

    [Fact]
    public void Classify_HealthyDeviceNotReportingVersion_UnknownNotBootFailure()
    {
        var context = new FailureContext(["Update Installed, Testing Pending."], "update", NeverReturned: false, FellBackToPreviousVersion: false)
        {
            BootModeAfter = "normal",
            BootAttempts = 1,
        };

        var diagnosis = FailureClassifier.Classify(context);

        Assert.Equal(FailureCause.Unknown, diagnosis.Cause);
        Assert.True(diagnosis.Confidence < 0.5);
    }

    [Fact]
    public void Classify_SpecificLineAndPowerReset_LineWinsButContested()
    {
        var diagnosis = FailureClassifier.Classify(new FailureContext(["ERROR : HASH mismatch : a1 <--> b2"], "brownout", NeverReturned: false, FellBackToPreviousVersion: false));

        Assert.Equal(FailureCause.ChecksumMismatch, diagnosis.Cause);
        Assert.True(diagnosis.Confidence < 0.7);
        Assert.Contains("Contested by power-loss", diagnosis.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Classify_HugeLinesAndManySignals_SummaryStaysOneShortSentence()
    {
        var filler = new string('x', 5000);
        var context = new FailureContext([$"ERROR : HASH mismatch : {filler}", $"No space left on device {filler}", $"Bootlimit (3) exceeded {filler}"],
            "brownout " + filler, NeverReturned: true, FellBackToPreviousVersion: true)
        {
            PowerEvents = [.. Enumerable.Range(0, 50).Select(i => $"PoE port {i} dropped {filler}")],
            HttpStatuses = [413, 507, 415],
        };

        var diagnosis = FailureClassifier.Classify(context);

        Assert.InRange(diagnosis.Summary.Length, 1, 1600);
        Assert.InRange(diagnosis.Evidence.Count, 1, 6);
        Assert.All(diagnosis.Evidence, e => Assert.InRange(e.Length, 1, 400));
    }

    [Fact]
    public void Classify_FellBackAndMarkedBad_BootFailureCorroborated()
    {
        var context = new FailureContext(["rauc[301]: Marked slot rootfs.1 as bad"], null, NeverReturned: false, FellBackToPreviousVersion: true);

        var diagnosis = FailureClassifier.Classify(context);

        Assert.Equal(FailureCause.BootFailure, diagnosis.Cause);
        Assert.Equal(0.8, diagnosis.Confidence);
        Assert.Equal(["the device came back running its previous version: the new slot did not boot and the bootloader fell back", "rauc[301]: Marked slot rootfs.1 as bad"],
            diagnosis.Evidence);
    }
}
