using Nova.Firmware.Domain.Diagnosis;

namespace Nova.Firmware.Domain.Tests.Diagnosis;

/// <summary>
/// Logs as they really arrive: timestamps and syslog headers, sentences split over posts,
/// re-quoted JSON, progress bars and carriage returns, colours, a generic last line.
/// </summary>
public sealed class MessyLogTests
{
    [Fact]
    public void ClassifyLines_SyslogPrefixedSwupdateRun_CauseFromEarlyLineNotTheLastOne()
    {
        // sbabic/swupdate core/cpio_utils.c and core/stream_interface.c, as journald forwards them.
        var diagnosis = FailureClassifier.ClassifyLines(
        [
            "Jan  1 00:00:01 gw swupdate[123]: [INFO ] : SWUPDATE running :  [install_single_image] : Found installer for stream rootfs.img raw",
            "Jan  1 00:00:02 gw swupdate[123]: [ERROR] : SWUPDATE failed [0] ERROR core/cpio_utils.c : copyfile : 692 : HASH mismatch : 1f2e <--> 9a8b",
            "Jan  1 00:00:02 gw swupdate[123]: [ERROR] : SWUPDATE failed [1] Image invalid or corrupted. Not installing ...",
            "Jan  1 00:00:03 gw swupdate[123]: [ERROR] : SWUPDATE failed [0] Installation failed !",
            "Update Failed.",
        ]);

        Assert.Equal(FailureCause.ChecksumMismatch, diagnosis.Cause);
        Assert.True(diagnosis.Confidence >= 0.9);
        Assert.Contains("HASH mismatch : 1f2e <--> 9a8b", diagnosis.Evidence[0], StringComparison.Ordinal);
    }

    [Fact]
    public void ClassifyLines_ManyGenericLinesAfterTheCause_DoNotOverrideIt()
    {
        // torvalds/linux drivers/mtd/ubi/vmt.c, then whatever the agent says last.
        var diagnosis = FailureClassifier.ClassifyLines(
        [
            "[  412.001122] ubi0 error: ubi_create_volume: not enough PEBs, only 12 available",
            "ERROR installing rootfs",
            "Installation failed",
            "Update Failed.",
            "Firmware upgrade failed",
        ]);

        Assert.Equal(FailureCause.InsufficientSpace, diagnosis.Cause);
        Assert.Equal(["[  412.001122] ubi0 error: ubi_create_volume: not enough PEBs, only 12 available"], diagnosis.Evidence);
    }

    [Theory]
    [InlineData("ERROR : Channel get operation aborted because of too many", "failed download attempts (2).", FailureCause.ChecksumMismatch)]
    [InlineData("ERROR : SW not compatible with", "hardware", FailureCause.WrongHardware)]
    [InlineData("[   12.345678] VFS: Unable to mount ro", "[   12.345679] ot fs on unknown-block(0,0)", FailureCause.BootFailure)]
    [InlineData("2024-01-01T00:00:00Z E (4012) esp_image: Image hash failed -", "2024-01-01T00:00:00Z image is corrupt", FailureCause.ChecksumMismatch)]
    [InlineData("Reboot to the new", "update failed. Expected \"upgrade_available\" flag to be true but it was false.", FailureCause.BootFailure)]
    public void ClassifyLines_SentenceSplitOverTwoPosts_JoinedAndMatched(string first, string second, FailureCause expected)
    {
        var diagnosis = FailureClassifier.ClassifyLines([first, second, "Installation failed"]);

        Assert.Equal(expected, diagnosis.Cause);
        Assert.Equal($"{first} {second}", diagnosis.Evidence[0]);
    }

    [Fact]
    public void ClassifyLines_RawFeedbackBodyWithUnescapedQuotes_StillMatches()
    {
        // SWUpdate does not escape quotes inside details: the server keeps the raw body.
        const string body = """{ "id": 1, "status": { "result": { "finished": "failure" }, "execution": "closed", "details" : [ "ERROR : HASH mismatch : "abc" <--> "def"" ] } }""";

        Assert.Equal(FailureCause.ChecksumMismatch, FailureClassifier.ClassifyLines([body]).Cause);
    }

    [Fact]
    public void ClassifyLines_ReQuotedJsonWithEscapedNewlines_SplitIntoLines()
    {
        // espressif/esp-idf esp_image_format.c and the OTA example, forwarded as a JSON string inside JSON.
        const string body = """{"details":"{\"log\":\"E (4012) esp_image: Image hash failed - image is corrupt\\nE (4013) native_ota_example: Image validation failed, image is corrupted\\n\"}"}""";

        var diagnosis = FailureClassifier.ClassifyLines([body]);

        Assert.Equal(FailureCause.ChecksumMismatch, diagnosis.Cause);
        Assert.True(diagnosis.Confidence >= 0.9);
    }

    [Fact]
    public void ClassifyLines_ProgressBarsAndCarriageReturns_AreNotLastWords()
    {
        var diagnosis = FailureClassifier.ClassifyLines(
        [
            "Downloading [=====>          ] 45%\rDownloading [==========>     ] 70%\r",
            "Downloaded 80% (4096 of 5120 kB).",
            "curl: (56) Recv failure: Connection reset by peer",
            "[==============>  ] 93%   4.1MB/s  eta 0:00:01",
        ]);

        Assert.Equal(FailureCause.Unreachable, diagnosis.Cause);
        Assert.Equal("curl: (56) Recv failure: Connection reset by peer", diagnosis.Evidence[0]);
    }

    [Fact]
    public void ClassifyLines_OnlyProgressAndGenericFailure_UnknownWithTheFailureAsLastWords()
    {
        var diagnosis = FailureClassifier.ClassifyLines(["[=====>          ] 45%", "Update failed", "[==========>     ] 70%"]);

        Assert.Equal(FailureCause.Unknown, diagnosis.Cause);
        Assert.EndsWith("Last words: \"Update failed\"", diagnosis.Summary, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\u001b[0;31mE (4012) esp_image: Image hash failed - image is corrupt\u001b[0m", "E (4012) esp_image: Image hash failed - image is corrupt")]
    [InlineData("[0;31mE (305) boot_comm: mismatch chip ID, expected 9, found 5[0m", "E (305) boot_comm: mismatch chip ID, expected 9, found 5")]
    [InlineData("\\u001b[1;31mERROR : SW not compatible with hardware\\u001b[0m", "ERROR : SW not compatible with hardware")]
    public void ClassifyLines_AnsiColours_RemovedFromMatchAndEvidence(string line, string clean)
    {
        var diagnosis = FailureClassifier.ClassifyLines([line]);

        Assert.NotEqual(FailureCause.Unknown, diagnosis.Cause);
        Assert.Equal(clean, diagnosis.Evidence[0]);
    }

    [Fact]
    public void ClassifyLines_EspBootLogWithChipMismatch_HardwareNotTheGenericCorruptLine()
    {
        // espressif/esp-idf bootloader_common_loader.c, then the OTA example's summary for ESP_ERR_OTA_VALIDATE_FAILED.
        var diagnosis = FailureClassifier.ClassifyLines(
        [
            "I (8123) esp_https_ota: Writing to <ota_1> partition at offset 0x210000",
            "E (9410) boot_comm: mismatch chip ID, expected 9, found 5",
            "E (9412) native_ota_example: Image validation failed, image is corrupted",
            "E (9413) native_ota_example: esp_ota_end failed (ESP_ERR_OTA_VALIDATE_FAILED)!",
        ]);

        Assert.Equal(FailureCause.WrongHardware, diagnosis.Cause);
        Assert.True(diagnosis.Confidence >= 0.9);
    }

    [Fact]
    public void ClassifyLines_HtmlEscapedSoapFault_Read()
    {
        // onvif/specs doc/Core.xml: env:Sender / ter:InvalidArgs / ter:InvalidFirmware, as a web UI shows the XML.
        var diagnosis = FailureClassifier.ClassifyLines(
            ["&lt;env:Code&gt;&lt;env:Value&gt;env:Sender&lt;/env:Value&gt;&lt;env:Subcode&gt;&lt;env:Value&gt;ter:InvalidFirmware&lt;/env:Value&gt;"]);

        Assert.Equal(FailureCause.WrongHardware, diagnosis.Cause);
    }

    [Fact]
    public void ClassifyLines_MenderLogrusLines_Read()
    {
        // mendersoftware/mender 3.x: logrus key=value lines with the message quoted.
        var diagnosis = FailureClassifier.ClassifyLines(
        [
            "time=\"2024-03-01T10:00:00Z\" level=info msg=\"State transition: update-fetch [Download_Enter] -> update-store [Download_Enter]\"",
            "time=\"2024-03-01T10:00:09Z\" level=error msg=\"Payload: can not install Payload: rootfs.ext4: invalid checksum; expected: [4f2a9c]; actual: [9bc1e0]\"",
            "time=\"2024-03-01T10:00:09Z\" level=info msg=\"Entering ArtifactRollback state\"",
            "time=\"2024-03-01T10:00:10Z\" level=error msg=\"Update failed\"",
        ]);

        Assert.Equal(FailureCause.ChecksumMismatch, diagnosis.Cause);
    }

    [Fact]
    public void ClassifyLines_RollbackLinesAfterBootLimit_SupportBootFailure()
    {
        var diagnosis = FailureClassifier.ClassifyLines(
        [
            "Warning: Bootlimit (3) exceeded. Using altbootcmd.", // u-boot/u-boot include/bootcount.h
            "rauc[301]: Marked slot rootfs.1 as bad", // rauc/rauc src/mark.c
            "update rolled back by the device",
            "Update Failed.",
        ]);

        Assert.Equal(FailureCause.BootFailure, diagnosis.Cause);
        Assert.Equal(0.95, diagnosis.Confidence);
    }

    [Fact]
    public void ClassifyLines_RollbackBecauseOfBrownouts_PowerLoss()
    {
        // esphome/esphome safe_mode after an OTA: the new image kept browning out before it could confirm its boot.
        var diagnosis = FailureClassifier.ClassifyLines(
        [
            "[W][safe_mode]: OTA rollback detected! Rolled back from partition 'ota_0'",
            "  The device reset before the boot was marked successful",
            "[W][safe_mode]: Last reset was due to brownout - check your power supply!",
        ]);

        Assert.Equal(FailureCause.PowerLoss, diagnosis.Cause);
        Assert.Contains("That explains boot-failure", diagnosis.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void ClassifyLines_RollbackAfterAFailedInstall_TheInstallsCause()
    {
        // Mender rolls back after any failed install: the rollback is not a failed boot.
        var diagnosis = FailureClassifier.ClassifyLines(
            ["msg=\"Artifact install failed: write /dev/mmcblk0p3: no space left on device\"", "msg=\"Entering ArtifactRollback state\"", "Rolling back Artifact..."]);

        Assert.Equal(FailureCause.InsufficientSpace, diagnosis.Cause);
    }

    [Fact]
    public void ClassifyLines_UnderVoltageThenRootMountPanic_PowerExplainsTheFailedBoot()
    {
        var diagnosis = FailureClassifier.ClassifyLines(
        [
            "[    1.982211] Under-voltage detected! (0x00050005)", // torvalds/linux drivers/hwmon/raspberrypi-hwmon.c
            "[    2.345678] Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(179,2)", // init/do_mounts.c
        ]);

        Assert.Equal(FailureCause.PowerLoss, diagnosis.Cause);
        Assert.DoesNotContain("Contested", diagnosis.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void ClassifyLines_TwoSpecificCausesOfEqualWeight_LowConfidenceAndBothNamed()
    {
        var diagnosis = FailureClassifier.ClassifyLines(["ERROR : HASH mismatch : aa <--> bb", "cp: error writing '/data/x': No space left on device"]);

        Assert.Equal(FailureCause.InsufficientSpace, diagnosis.Cause);
        Assert.InRange(diagnosis.Confidence, 0.5, 0.6);
        Assert.Contains("Contested by checksum-mismatch", diagnosis.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void ClassifyLines_TwoModerateCausesInConflict_Unknown()
    {
        var diagnosis = FailureClassifier.ClassifyLines(["Image metadata not present", "Invalid image metadata"]);

        Assert.Equal(FailureCause.Unknown, diagnosis.Cause);
        Assert.StartsWith("Contradicting evidence:", diagnosis.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void ClassifyLines_FwupdHistoryListingPowerFlag_NotAPowerProblem()
    {
        // fwupd/fwupd src/fu-cli-common.c lists device flags in words; the flag is no refusal.
        var diagnosis = FailureClassifier.ClassifyLines(
        [
            "└─FWA6172 Platform Management:",
            "  │   Update State:       Failed",
            "  │   Update Error:       Transfer of image 'firmware.bin' to 'BMC' failed.",
            "  │   Device Flags:       • Internal device",
            "  │                       • Updatable",
            "  │                       • System requires external power source",
        ]);

        Assert.Equal(FailureCause.Unknown, diagnosis.Cause);
    }

    [Fact]
    public void ClassifyLines_WarningAboutPowerLossBeforeTheUpdate_NotAPowerLoss()
    {
        var diagnosis = FailureClassifier.ClassifyLines(
            ["Keep the device plugged in to avoid power loss during the update", "Writing image to /dev/mmcblk0p3", "Update failed"]);

        Assert.Equal(FailureCause.Unknown, diagnosis.Cause);
    }

    [Fact]
    public void ClassifyLines_GenericFailuresOnly_UnknownLowConfidenceWithThem()
    {
        var diagnosis = FailureClassifier.ClassifyLines(["Software Update started !", "Installation failed !", "No suitable .swu image found"]);

        Assert.Equal(FailureCause.Unknown, diagnosis.Cause);
        Assert.Equal(0.2, diagnosis.Confidence);
        Assert.Equal(["Installation failed !", "No suitable .swu image found"], diagnosis.Evidence);
        Assert.Equal("No known failure pattern in the device's reports. Last words: \"No suitable .swu image found\"", diagnosis.Summary);
    }

    [Fact]
    public void ClassifyLines_WeakHintsOnly_UnknownNamingThem()
    {
        var diagnosis = FailureClassifier.ClassifyLines(["rst:0x1 (POWERON_RESET),boot:0x13 (SPI_FAST_FLASH_BOOT)", "[    2.1] UBIFS (ubi0:1): recovery needed"]);

        Assert.Equal(FailureCause.Unknown, diagnosis.Cause);
        Assert.Equal(0.3, diagnosis.Confidence);
        Assert.StartsWith("No cause stands out; weak hints only: power-loss", diagnosis.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void ClassifyLines_DocumentedEndpointExample_AsDocumented()
    {
        // docs/diagnosis.md, "The endpoint".
        var diagnosis = FailureClassifier.ClassifyLines(
        [
            "rst:0x1 (POWERON_RESET),boot:0x13 (SPI_FAST_FLASH_BOOT)",
            "E (98231) BOD: Brownout detector was triggered",
            "E (98240) advanced_https_ota_example: ESP_HTTPS_OTA upgrade failed",
        ]);

        Assert.Equal(FailureCause.PowerLoss, diagnosis.Cause);
        Assert.Equal(0.95, diagnosis.Confidence);
        Assert.Equal(["E (98231) BOD: Brownout detector was triggered", "rst:0x1 (POWERON_RESET),boot:0x13 (SPI_FAST_FLASH_BOOT)"], diagnosis.Evidence);
        Assert.Equal("Power loss (confidence 0.95): the device said \"E (98231) BOD: Brownout detector was triggered\" and \"rst:0x1 (POWERON_RESET),boot:0x13 (SPI_FAST_FLASH_BOOT)\".",
            diagnosis.Summary);
    }

    [Fact]
    public void ClassifyLines_TenThousandLines_Quick()
    {
        var lines = Enumerable.Range(0, 10_000).Select(i => $"[{i,8}.000000] random kernel chatter number {i} about eth0 link state").ToList();
        lines[1234] = "ubi0 error: ubi_create_volume: not enough PEBs, only 12 available";
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var diagnosis = FailureClassifier.ClassifyLines(lines);

        Assert.Equal(FailureCause.InsufficientSpace, diagnosis.Cause);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
    }
}
