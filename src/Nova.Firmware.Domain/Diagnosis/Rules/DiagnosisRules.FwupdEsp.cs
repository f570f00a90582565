using static Nova.Firmware.Domain.Diagnosis.FailureCause;

namespace Nova.Firmware.Domain.Diagnosis;

// fwupd (fwupd/fwupd) and ESP-IDF's OTA, bootloader and reset reasons (espressif/esp-idf).
public static partial class DiagnosisRules
{
    private const string FwupdRepo = "fwupd/fwupd ";
    private const string EspRepo = "espressif/esp-idf ";

    private static IEnumerable<DiagnosisRule> Fwupd() =>
    [
        Rule("fwupd.not-compatible", "/\\b(?:firmware|device|bootloader) (?:is )?not compatible\\b/", WrongHardware, 0.75, FwupdRepo + "libfwupdplugin, src/fu-engine.c"),
        Rule("fwupd.requirement", "Not compatible with", WrongHardware, 0.6, FwupdRepo + "src/fu-engine-requirements.c"),
        Rule("fwupd.firmware-does-not-match", "/firmware (?:0x[0-9a-f]+:0x[0-9a-f]+|for \\S+) does not match/", WrongHardware, 0.8, FwupdRepo + "plugins/*/fu-*-device.c"),
        Rule("fwupd.no-supported-devices", "/no supported devices found|did not find any devices with matching guids/", WrongHardware, 0.6, FwupdRepo + "src/fu-engine.c, src/fu-util.c"),
        Rule("fwupd.insufficient-space", "does not have sufficient space", InsufficientSpace, 0.85, FwupdRepo + "plugins/uefi-capsule/fu-uefi-capsule-plugin.c"),
        Rule("fwupd.not-enough-space", "/not enough (?:free |efivarfs )?space/", InsufficientSpace, 0.85, FwupdRepo + "libfwupdplugin/fu-efivars.c, fu-volume.c"),
        Rule("fwupd.checksum", "/\\bchecksum (?:mismatch|invalid|did not match)\\b/", ChecksumMismatch, 0.8, FwupdRepo + "src/fu-engine.c, plugins/*"),
        Rule("fwupd.crc", "/\\bcrc (?:0x[0-9a-f]+ invalid|did not match)/", ChecksumMismatch, 0.6, FwupdRepo + "libfwupdplugin/fu-crc.c"),
        // The update was refused for want of power: fwupd's requirement messages.
        // "System requires external power source" is also how fwupdmgr lists a device flag ("• System requires ..."): not then.
        Rule("fwupd.external-power", "/when not on ac power|requires ac power to be connected|(?<!• )system requires external power source|remain plugged into a power source/", PowerLoss, 0.65, FwupdRepo + "src/fu-engine.c, libfwupdplugin/fu-device.c, src/fu-cli-common.c"),
        Rule("fwupd.battery-low", "/battery (?:power|level) (?:is )?too low|system power is too low|when system battery is not at least/", PowerLoss, 0.65, FwupdRepo + "src/fu-engine.c, libfwupdplugin/fu-device.c"),
        Rule("fwupd.unreachable", "Device is unreachable, or out of wireless range", Unreachable, 0.6, FwupdRepo + "libfwupdplugin/fu-device.c"),
    ];

    private static IEnumerable<DiagnosisRule> EspIdf() =>
    [
        // Printed by the OTA examples for ESP_ERR_OTA_VALIDATE_FAILED, which a chip mismatch also returns: defers to a specific line.
        Fallback("esp-idf.validation-failed", "Image validation failed, image is corrupted", ChecksumMismatch, 0.8, EspRepo + "examples/system/ota/native_ota_example/main/native_ota_example.c"),
        Fallback("esp-idf.validate-failed-code", "ESP_ERR_OTA_VALIDATE_FAILED", ChecksumMismatch, 0.7, EspRepo + "components/app_update/include/esp_ota_ops.h"),
        Rule("esp-idf.image-hash", "Image hash failed - image is corrupt", ChecksumMismatch, 0.9, EspRepo + "components/bootloader_support/src/esp_image_format.c"),
        Rule("esp-idf.image-digest", "/incorrect (?:image digest|crc)/", ChecksumMismatch, 0.85, EspRepo + "components/bootloader_support/src/esp_image_format.c"),
        Rule("esp-idf.invalid-magic", "/image (?:at \\S+ )?has invalid magic byte/", ChecksumMismatch, 0.6, EspRepo + "components/app_update/esp_ota_ops.c, bootloader_support/src/esp_image_format.c"),
        Rule("esp-idf.segment-length", "invalid segment length", ChecksumMismatch, 0.7, EspRepo + "components/bootloader_support/src/esp_image_format.c"),
        Rule("esp-idf.checksum-failed", "Checksum failed. Calculated * read", ChecksumMismatch, 0.8, EspRepo + "components/bootloader_support/src/esp_image_format.c"),
        Rule("esp-idf.secure-boot", "/secure boot signature verification failed|image valid, signature bad/", ChecksumMismatch, 0.65, EspRepo + "components/bootloader_support/src/esp_image_format.c"),
        Fallback("esp-idf.incomplete", "/complete data was not received|connection closed before complete data was received/", ChecksumMismatch, 0.55, EspRepo + "components/esp_https_ota/src/esp_https_ota.c"),
        Rule("esp-idf.chip-revision", "chip revision check failed", WrongHardware, 0.9, EspRepo + "components/bootloader_support/src/bootloader_common_loader.c"),
        Rule("esp-idf.chip-id", "/mismatch chip id|chip id mismatch/", WrongHardware, 0.9, EspRepo + "components/bootloader_support/src/bootloader_common_loader.c"),
        Rule("esp-idf.begin-invalid-size", "/esp_ota_begin failed.{0,40}esp_err_invalid_size/", InsufficientSpace, 0.8, EspRepo + "components/app_update/esp_ota_ops.c (esp_ota_begin)"),
        Rule("esp-idf.partition-too-small", "/partition.{0,60}too small|doesn t fit in partition/", InsufficientSpace, 0.75, EspRepo + "components/bootloader_support/src/esp_image_format.c, bootloader_utility.c"),
        Failure("esp-idf.begin-failed", "esp_ota_begin failed", EspRepo + "components/esp_https_ota/src/esp_https_ota.c"),
        Failure("esp-idf.https-ota-failed", "/esp_https_ota upgrade failed|firmware upgrade failed/", EspRepo + "examples/system/ota/advanced_https_ota"),
        Rule("esp-idf.http-perform", "ESP HTTP client perform failed", Unreachable, 0.5, EspRepo + "components/esp_https_ota/src/esp_https_ota.c"),
        Rule("esp-idf.tls-hostname", "couldn't get hostname for", Unreachable, 0.65, EspRepo + "components/esp-tls/esp_tls.c"),
        // The app marked itself invalid after its self-test and the bootloader went back.
        Fallback("esp-idf.rollback", "Rollback to previously worked partition", BootFailure, 0.65, EspRepo + "components/app_update/esp_ota_ops.c"),
        Failure("esp-idf.rollback-impossible", "Rollback is not possible", EspRepo + "components/app_update/esp_ota_ops.c"),
        Rule("esp-idf.brownout", "Brownout detector was triggered", PowerLoss, 0.9, EspRepo + "components/esp_hw_support/power_supply/brownout.c"),
        Rule("esp-idf.brownout-reset", "/brownout_rst|brown_out_reset|esp_rst_brownout/", PowerLoss, 0.85, EspRepo + "components/esp_rom/*/rom/rtc.h, esp_system/include/esp_system.h"),
        // The ROM prints its reset reason at every boot; a power-on reset is also just plugging the board in.
        Rule("esp-idf.poweron-reset", "/poweron_reset|esp_rst_poweron/", PowerLoss, 0.3, EspRepo + "components/esp_rom/*/rom/rtc.h"),
        Rule("esp-idf.watchdog-reset", "/\\b(?:tg[01]wdt_sys_reset|rtcwdt_rtc_reset|rtcwdt_sys_reset|tgwdt_cpu_reset|rtcwdt_cpu_reset|esp_rst_(?:int_wdt|task_wdt|wdt))\\b/", BootFailure, 0.45, EspRepo + "components/esp_rom/*/rom/rtc.h"),
    ];
}
