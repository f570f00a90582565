using Nova.Firmware.Domain.Diagnosis;

namespace Nova.Firmware.Domain.Tests.Diagnosis;

/// <summary>SWUpdate's own failure wording (docs/swupdate-client.md, PROTOCOLS.md §1) mapped to the article's causes.</summary>
public sealed class FailureClassifierTests
{
    private static Domain.Diagnosis.Diagnosis Classify(params string[] details) =>
        FailureClassifier.Classify(new FailureContext(details, null, false, false));

    [Theory]
    [InlineData("ERROR : HASH mismatch : 1f2e3d <--> 9a8b7c", FailureCause.ChecksumMismatch)]
    [InlineData("ERROR : Checksum does not match: Should be  0a1b , but actually is  2c3d . ", FailureCause.ChecksumMismatch)]
    [InlineData("Image invalid or corrupted. Not installing ...", FailureCause.ChecksumMismatch)]
    [InlineData("ERROR : Hash not set for rootfs.img Type rawfile", FailureCause.ChecksumMismatch)]
    [InlineData("ERROR : Authentication of all signatures failed", FailureCause.ChecksumMismatch)]
    [InlineData("ERROR : Channel get operation aborted because of too many failed download attempts (2). ", FailureCause.ChecksumMismatch)]
    [InlineData("ERROR : Error streaming rootfs.img", FailureCause.ChecksumMismatch)]
    [InlineData("ERROR : SW not compatible with hardware", FailureCause.WrongHardware)]
    [InlineData("ERROR : Compatible SW not found", FailureCause.WrongHardware)]
    [InlineData("write failed: No space left on device", FailureCause.InsufficientSpace)]
    public void Classify_SwupdateFailureLine_MapsToCause(string line, FailureCause expected)
    {
        var diagnosis = Classify("Software Update started !", line, "No suitable .swu image found");

        Assert.Equal(expected, diagnosis.Cause);
        Assert.Contains(line.Trim(), diagnosis.Evidence);
        Assert.Contains(line.Trim(), diagnosis.Summary);
    }

    [Theory]
    [InlineData("No suitable .swu image found")]
    [InlineData("Installation failed")]
    [InlineData("ERROR : /data/target.img cannot be opened: No such file or directory")]
    [InlineData("Got malformed JSON: Could not find fields 'filename', 'hashes->sha1', or 'size' in JSON.")]
    public void Classify_GenericSwupdateFailure_UnknownWithLastWords(string line)
    {
        var diagnosis = Classify("Update Failed.", line);

        Assert.Equal(FailureCause.Unknown, diagnosis.Cause);
        Assert.Contains($"Last words: \"{line}\"", diagnosis.Summary);
        Assert.True(diagnosis.Confidence < 0.5);
    }

    [Fact]
    public void Classify_HarmlessStartupErrors_AreNotTheCause()
    {
        var diagnosis = Classify("[read_state] : Key  ustate  not found in Bootloader s environment.", "ERROR : Cannot read stored update state.", "Update Failed.");

        Assert.Equal(FailureCause.Unknown, diagnosis.Cause);
    }

    [Fact]
    public void Classify_HardwareLineThenNoSuitableImage_WrongHardware()
    {
        var diagnosis = Classify("ERROR : SW not compatible with hardware", "No suitable .swu image found");

        Assert.Equal(FailureCause.WrongHardware, diagnosis.Cause);
        Assert.Contains("ERROR : SW not compatible with hardware", diagnosis.Evidence);
    }

    [Fact]
    public void Classify_HashMismatchReportedBeforeHardwareLine_HardwareStillWins()
    {
        var diagnosis = Classify("ERROR : HASH mismatch : aa <--> bb", "ERROR : SW not compatible with hardware", "No suitable .swu image found");

        Assert.Equal(FailureCause.WrongHardware, diagnosis.Cause);
    }

    [Theory]
    [InlineData("ERROR : Hash not set for rootfs.img Type rawfile", "ERROR : Compatible SW not found")]
    [InlineData("ERROR : Compatible SW not found", "ERROR : Hash not set for rootfs.img Type rawfile")]
    public void Classify_HashNotSetWithCompatibleSwNotFound_ChecksumMismatchInAnyOrder(string first, string second)
    {
        var diagnosis = Classify(first, second, "No suitable .swu image found");

        Assert.Equal(FailureCause.ChecksumMismatch, diagnosis.Cause);
        Assert.Contains("Hash not set for", diagnosis.Summary);
    }

    [Fact]
    public void Classify_WrongSignerTrio_ChecksumMismatch()
    {
        var diagnosis = Classify("ERROR : Authentication of all signatures failed", "ERROR : Compatible SW not found", "Image invalid or corrupted. Not installing ...");

        Assert.Equal(FailureCause.ChecksumMismatch, diagnosis.Cause);
    }

    [Fact]
    public void Classify_LineSplitByNewlinesAndQuotes_StillMatches()
    {
        var diagnosis = Classify("ERROR : SW not\ncompatible  with \"hardware\"");

        Assert.Equal(FailureCause.WrongHardware, diagnosis.Cause);
    }

    [Theory]
    [InlineData("Installation failed: interrupted (reset reason power-loss), slot write incomplete")]
    [InlineData("Installation failed: interrupted (reset reason update), slot write incomplete")]
    [InlineData("2026-12-04T15:16:55Z power lost (power-loss)")]
    public void Classify_InterruptedWriteOrHyphenatedPowerLoss_PowerLoss(string line)
    {
        var diagnosis = Classify("Update Failed.", line, "Installation failed");

        Assert.Equal(FailureCause.PowerLoss, diagnosis.Cause);
        Assert.Contains(line, diagnosis.Evidence);
    }

    [Fact]
    public void Classify_DifferentCase_StillMatches()
    {
        Assert.Equal(FailureCause.ChecksumMismatch, Classify("error : hash MISMATCH : a <--> b").Cause);
    }

    [Theory]
    [InlineData("power-loss")]
    [InlineData("brownout")]
    [InlineData("POWER-LOSS")]
    public void Classify_PowerResetAfterWithoutDetails_PowerLoss(string reason)
    {
        var diagnosis = FailureClassifier.Classify(new FailureContext(["Update Failed."], reason, NeverReturned: false, FellBackToPreviousVersion: false));

        Assert.Equal(FailureCause.PowerLoss, diagnosis.Cause);
        Assert.Contains(reason, diagnosis.Summary);
    }

    [Fact]
    public void Classify_NonPowerResetAfter_NotPowerLoss()
    {
        var diagnosis = FailureClassifier.Classify(new FailureContext([], "watchdog", NeverReturned: false, FellBackToPreviousVersion: false));

        Assert.Equal(FailureCause.Unknown, diagnosis.Cause);
    }

    [Fact]
    public void Classify_DeviceWordsAndPowerReset_DeviceWordsWin()
    {
        var diagnosis = FailureClassifier.Classify(new FailureContext(["ERROR : HASH mismatch : a <--> b"], "power-loss", NeverReturned: false, FellBackToPreviousVersion: false));

        Assert.Equal(FailureCause.ChecksumMismatch, diagnosis.Cause);
    }

    [Fact]
    public void Classify_PowerResetAndNeverReturned_PowerLossFirst()
    {
        var diagnosis = FailureClassifier.Classify(new FailureContext([], "brownout", NeverReturned: true, FellBackToPreviousVersion: false));

        Assert.Equal(FailureCause.PowerLoss, diagnosis.Cause);
    }

    [Fact]
    public void Classify_FellBackToPreviousVersion_BootFailure()
    {
        var diagnosis = FailureClassifier.Classify(new FailureContext(["Update Installed."], null, NeverReturned: false, FellBackToPreviousVersion: true));

        Assert.Equal(FailureCause.BootFailure, diagnosis.Cause);
    }

    [Fact]
    public void Classify_NeverReturned_Unreachable()
    {
        var diagnosis = FailureClassifier.Classify(new FailureContext(["All Chunks Installed."], null, NeverReturned: true, FellBackToPreviousVersion: false));

        Assert.Equal(FailureCause.Unreachable, diagnosis.Cause);
        Assert.Contains("did not return", diagnosis.Summary);
    }

    [Fact]
    public void Classify_VanishedWhileWritingAndNeverReturned_PowerLossBelowCertainty()
    {
        // The article's "device vanishes mid-flash": a bricked device never says why, so power is
        // named, but below 0.7: a cable pulled mid-write looks the same.
        var diagnosis = FailureClassifier.Classify(new FailureContext(["Installing Update Chunk Artifacts."], null, NeverReturned: true, FellBackToPreviousVersion: false)
        {
            VanishedWhileWriting = true,
        });

        Assert.Equal(FailureCause.PowerLoss, diagnosis.Cause);
        Assert.InRange(diagnosis.Confidence, 0.5, 0.69);
    }

    [Fact]
    public void Classify_NothingKnown_UnknownWithLastWords()
    {
        var diagnosis = Classify("Installing Update Chunk Artifacts.", "  Update Failed.  ");

        Assert.Equal(FailureCause.Unknown, diagnosis.Cause);
        Assert.EndsWith("Last words: \"Update Failed.\"", diagnosis.Summary);
    }

    [Fact]
    public void Classify_NoDetailsAtAll_UnknownWithoutLastWords()
    {
        var diagnosis = Classify();

        Assert.Equal(FailureCause.Unknown, diagnosis.Cause);
        Assert.DoesNotContain("Last words", diagnosis.Summary);
    }
}
