using static Nova.Firmware.Domain.Diagnosis.FailureCause;

namespace Nova.Firmware.Domain.Diagnosis;

// U-Boot (u-boot/u-boot), the Linux kernel (torvalds/linux) and OpenWrt's sysupgrade (openwrt/openwrt).
public static partial class DiagnosisRules
{
    private const string UBootRepo = "u-boot/u-boot ";
    private const string LinuxRepo = "torvalds/linux ";
    private const string OpenWrtRepo = "openwrt/openwrt ";

    private static IEnumerable<DiagnosisRule> UBoot() =>
    [
        // A CRC or hash that does not match the image's own header: the stored image is corrupt.
        Rule("u-boot.bad-data-crc", "Bad Data CRC", ChecksumMismatch, 0.6, UBootRepo + "boot/bootm.c, boot/image-board.c"),
        Rule("u-boot.bad-header-checksum", "Bad Header Checksum", ChecksumMismatch, 0.6, UBootRepo + "boot/bootm.c"),
        Rule("u-boot.ramdisk-corrupt", "Ramdisk image is corrupt or invalid", ChecksumMismatch, 0.6, UBootRepo + "boot/bootm.c"),
        Rule("u-boot.fit-bad-hash", "/bad hash value for \\S+ hash node|bad hash in fit image/", ChecksumMismatch, 0.75, UBootRepo + "boot/image-fit.c, cmd/bootm.c"),
        Rule("u-boot.fit-truncated", "Corrupted or truncated tree", ChecksumMismatch, 0.65, UBootRepo + "boot/image-fit.c"),
        Rule("u-boot.signature-check", "signature check has failed", ChecksumMismatch, 0.65, UBootRepo + "boot/image-pre-load.c"),
        // Not an image the bootloader can start at all: the new image does not boot.
        Rule("u-boot.bad-magic", "Bad Magic Number", BootFailure, 0.55, UBootRepo + "boot/bootm.c"),
        Rule("u-boot.wrong-image-format", "/wrong (?:ramdisk )?image (?:format|type)/", BootFailure, 0.55, UBootRepo + "boot/bootm.c, boot/image-board.c"),
        Rule("u-boot.fit-bad-format", "/bad fit (?:\\S+ )?image format/", BootFailure, 0.5, UBootRepo + "boot/image-fit.c"),
        Rule("u-boot.no-kernel", "can't get kernel image", BootFailure, 0.6, UBootRepo + "boot/bootm.c"),
        Rule("u-boot.no-device-tree", "/could not find a valid device tree|did not find a cmdline flattened device tree/", BootFailure, 0.6, UBootRepo + "boot/bootm.c, boot/image-fdt.c"),
        Rule("u-boot.image-too-large", "Image too large: increase", BootFailure, 0.6, UBootRepo + "boot/bootm.c"),
        Rule("u-boot.bootlimit", "Bootlimit (*) exceeded", BootFailure, 0.85, UBootRepo + "include/bootcount.h"),
        Rule("u-boot.spl-no-boot-device", "failed to boot from all boot devices", BootFailure, 0.8, UBootRepo + "common/spl/spl.c"),
        Rule("u-boot.reset-board", "### ERROR ### Please RESET the board ###", BootFailure, 0.6, UBootRepo + "lib/hang.c"),
        // Built for another machine or another board's configuration.
        Rule("u-boot.unsupported-architecture", "Unsupported Architecture", WrongHardware, 0.75, UBootRepo + "boot/bootm.c, boot/image-fit.c"),
        Rule("u-boot.fit-no-configuration", "Could not find configuration node", WrongHardware, 0.55, UBootRepo + "boot/image-fit.c"),
        Rule("u-boot.arm64-magic", "Bad Linux ARM64 Image magic", WrongHardware, 0.6, UBootRepo + "arch/arm/lib/image.c"),
        Failure("u-boot.tftp-error", "TFTP error:", UBootRepo + "net/tftp.c"),
    ];

    private static IEnumerable<DiagnosisRule> Linux() =>
    [
        // ENOSPC, as strerror text and as the kernel's negative errno.
        Rule("linux.enospc", "No space left on device", InsufficientSpace, 0.9, LinuxRepo + "include/uapi/asm-generic/errno-base.h (ENOSPC, strerror)"),
        Rule("linux.enospc-code", "/\\b(?:error|err|errno|ret|returned|status|code)\\s*[=:]?\\s*-28\\b|\\(-28\\)|\\benospc\\b/", InsufficientSpace, 0.75, LinuxRepo + "include/uapi/asm-generic/errno-base.h (ENOSPC = 28)"),
        Rule("linux.quota", "Disk quota exceeded", InsufficientSpace, 0.75, LinuxRepo + "include/uapi/asm-generic/errno.h (EDQUOT)"),
        Rule("linux.file-too-large", "File too large", InsufficientSpace, 0.5, LinuxRepo + "include/uapi/asm-generic/errno-base.h (EFBIG)"),
        Rule("linux.ubi-not-enough-pebs", "not enough PEBs", InsufficientSpace, 0.85, LinuxRepo + "drivers/mtd/ubi/vmt.c"),
        Rule("linux.vfs-unable-to-mount-root", "VFS: Unable to mount root fs", BootFailure, 0.85, LinuxRepo + "init/do_mounts.c"),
        Rule("linux.vfs-cannot-open-root", "VFS: Cannot open root device", BootFailure, 0.8, LinuxRepo + "init/do_mounts.c"),
        Rule("linux.no-init", "/no working init found|attempted to kill init/", BootFailure, 0.8, LinuxRepo + "init/main.c, kernel/exit.c"),
        Rule("linux.panic", "Kernel panic - not syncing", BootFailure, 0.65, LinuxRepo + "kernel/panic.c"),
        Rule("linux.squashfs-no-superblock", "Can't find a SQUASHFS superblock", BootFailure, 0.65, LinuxRepo + "fs/squashfs/super.c"),
        Rule("linux.squashfs-read", "/squashfs error: (?:unable to read|failed to read|squashfs_read_data failed)/", BootFailure, 0.5, LinuxRepo + "fs/squashfs/block.c, fs/squashfs/cache.c"),
        Rule("linux.ubi-attach", "/failed to attach mtd|cannot attach mtd/", BootFailure, 0.6, LinuxRepo + "drivers/mtd/ubi/build.c"),
        Rule("linux.ubifs-corrupt", "/ubifs error.{0,120}(?:bad node|corrupt|bad crc|corruption|bad magic)/", BootFailure, 0.55, LinuxRepo + "fs/ubifs/io.c, fs/ubifs/scan.c"),
        Rule("linux.ubi-vtbl", "volume table check failed", BootFailure, 0.5, LinuxRepo + "drivers/mtd/ubi/vtbl.c"),
        Rule("linux.dm-verity-corrupted", "/device-mapper: verity: .{0,40}data block \\d+ is corrupted/", ChecksumMismatch, 0.75, LinuxRepo + "drivers/md/dm-verity-target.c"),
        Rule("linux.squashfs-corrupt", "decompression failed, data probably corrupt", ChecksumMismatch, 0.55, LinuxRepo + "fs/squashfs/decompressor_single.c"),
        // Raspberry Pi firmware's under-voltage flag, logged by the hwmon driver (both spellings exist).
        Rule("linux.under-voltage", "/\\bunder-?voltage detected/", PowerLoss, 0.65, LinuxRepo + "drivers/hwmon/raspberrypi-hwmon.c"),
        // Left behind by an unclean power-off: hints that only corroborate.
        Rule("linux.ubifs-recovery", "/ubifs.{0,60}recovery needed/", PowerLoss, 0.45, LinuxRepo + "fs/ubifs/super.c"),
        Rule("linux.ext4-recovery", "/ext4-fs .{0,40}recovery (?:required|complete)/", PowerLoss, 0.35, LinuxRepo + "fs/ext4/super.c"),
        Rule("linux.jffs2-magic", "Magic bitmask 0x1985 not found", BootFailure, 0.4, LinuxRepo + "fs/jffs2/scan.c"),
        Rule("linux.ecc-error", "/\\(ecc error\\)|uncorrectable ecc|ecc failed/", BootFailure, 0.4, LinuxRepo + "drivers/mtd/ubi/io.c, drivers/mtd/nand"),
        Rule("linux.ext4-error", "EXT4-fs error (device", BootFailure, 0.45, LinuxRepo + "fs/ext4/super.c"),
        Failure("linux.io-error", "Input/output error", LinuxRepo + "include/uapi/asm-generic/errno-base.h (EIO)"),
        Failure("linux.read-only", "Read-only file system", LinuxRepo + "include/uapi/asm-generic/errno-base.h (EROFS)"),
    ];

    private static IEnumerable<DiagnosisRule> OpenWrt() =>
    [
        Rule("openwrt.device-not-supported", "Device * not supported by this image", WrongHardware, 0.9, OpenWrtRepo + "package/base-files/files/lib/upgrade/fwtool.sh"),
        Rule("openwrt.incompatible-compat-version", "this image is incompatible for sysupgrade", WrongHardware, 0.55, OpenWrtRepo + "package/base-files/files/lib/upgrade/fwtool.sh"),
        Rule("openwrt.metadata-missing", "Image metadata not present", WrongHardware, 0.5, OpenWrtRepo + "package/base-files/files/lib/upgrade/fwtool.sh"),
        Rule("openwrt.metadata-invalid", "Invalid image metadata", ChecksumMismatch, 0.5, OpenWrtRepo + "package/base-files/files/lib/upgrade/fwtool.sh"),
        Rule("openwrt.signature-missing", "Image signature not present", ChecksumMismatch, 0.45, OpenWrtRepo + "package/base-files/files/lib/upgrade/fwtool.sh"),
        Rule("openwrt.signature-check-failed", "Image check 'fwtool_check_signature' failed", ChecksumMismatch, 0.6, OpenWrtRepo + "package/base-files/files/sbin/sysupgrade"),
        Rule("openwrt.image-check-fwtool", "Image check 'fwtool_check_image' failed", WrongHardware, 0.6, OpenWrtRepo + "package/base-files/files/sbin/sysupgrade"),
        // The platform check refuses images for other boards far more often than damaged ones.
        Fallback("openwrt.image-check-failed", "/image check (?:\\S+ )?failed/", WrongHardware, 0.5, OpenWrtRepo + "package/base-files/files/sbin/sysupgrade"),
        Rule("openwrt.invalid-image-type", "Invalid image type", WrongHardware, 0.55, OpenWrtRepo + "target/linux/*/base-files/lib/upgrade/platform.sh"),
        Rule("openwrt.invalid-sysupgrade-file", "Invalid sysupgrade file", WrongHardware, 0.55, OpenWrtRepo + "package/base-files/files/lib/upgrade/nand.sh"),
        Rule("openwrt.unsupported-format", "does not contain a supported format", WrongHardware, 0.6, "openwrt/luci modules/luci-mod-system (flash.js)"),
        Rule("openwrt.image-too-big", "Image too big for partition", InsufficientSpace, 0.85, OpenWrtRepo + "package/system/mtd/src/mtd.c"),
        Rule("openwrt.cannot-create-volume", "/cannot (?:create|initialize) (?:kernel|rootfs|rootfs_data) volume/", InsufficientSpace, 0.6, OpenWrtRepo + "package/base-files/files/lib/upgrade/nand.sh"),
        Failure("openwrt.not-implemented", "Firmware upgrade is not implemented for this platform", OpenWrtRepo + "package/base-files/files/sbin/sysupgrade"),
    ];
}
