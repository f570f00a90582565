using static Nova.Firmware.Domain.Diagnosis.FailureCause;

namespace Nova.Firmware.Domain.Diagnosis;

// SWUpdate (sbabic/swupdate): the core, every handler, corelib's curl channel, the hawkBit module.
public static partial class DiagnosisRules
{
    private const string Swu = "sbabic/swupdate ";

    private static IEnumerable<DiagnosisRule> Swupdate() =>
    [
        // The core: cpio parsing, hashes, sw-description, signatures, the installer.
        Rule("swupdate.hash-mismatch", "HASH mismatch", ChecksumMismatch, 0.9, Swu + "core/cpio_utils.c"),
        Rule("swupdate.cpio-checksum", "Checksum WRONG ! Computed *, it should be", ChecksumMismatch, 0.9, Swu + "core/cpio_utils.c"),
        Rule("swupdate.cpio-corrupted", "CPIO file corrupted", ChecksumMismatch, 0.8, Swu + "core/cpio_utils.c"),
        Rule("swupdate.cpio-header-corrupted", "CPIO Header corrupted", ChecksumMismatch, 0.7, Swu + "core/cpio_utils.c, core/stream_interface.c"),
        Rule("swupdate.cpio-no-magic", "CPIO Format not recognized: magic not found", ChecksumMismatch, 0.6, Swu + "core/cpio_utils.c"),
        Rule("swupdate.decompress", "/(?:inflate|xz) failed \\(returned|zstd_decompressstream failed|lz4f_decompress failed/", ChecksumMismatch, 0.55, Swu + "core/cpio_utils.c"),
        Rule("swupdate.cpio-size", "Size in sw-description * does not match size in cpio", ChecksumMismatch, 0.7, Swu + "core/installer.c"),
        Rule("swupdate.hash-not-set", "Hash not set for * Type", ChecksumMismatch, 0.65, Swu + "core/parser.c"),
        Rule("swupdate.hw-not-compatible", "SW not compatible with hardware", WrongHardware, 0.9, Swu + "core/stream_interface.c"),
        // Printed whenever sw-description is refused: after a hardware mismatch, but also after a missing hash or a bad signature.
        Fallback("swupdate.compatible-sw-not-found", "Compatible SW not found", WrongHardware, 0.5, Swu + "core/stream_interface.c"),
        // Up to 2022.12, after any refused sw-description (stream_interface.c); the simulator's cameras say it too.
        Fallback("swupdate.image-invalid", "Image invalid or corrupted", ChecksumMismatch, 0.6, Swu + "core/stream_interface.c (2022.12)"),
        Fallback("swupdate.error-streaming", "Error streaming", ChecksumMismatch, 0.5, Swu + "core/stream_interface.c"),
        Rule("swupdate.no-temp-space-enospc", "Cannot get space for temporary data, error 28", InsufficientSpace, 0.85, Swu + "core/stream_interface.c"),
        Rule("swupdate.no-temp-space", "Cannot get space for temporary data", InsufficientSpace, 0.55, Swu + "core/stream_interface.c"),
        Rule("swupdate.signatures-failed", "Authentication of all signatures failed", ChecksumMismatch, 0.65, Swu + "crypto/swupdate_cms_verify_openssl.c"),
        Rule("swupdate.signature-failed", "Signature verification failed", ChecksumMismatch, 0.6, Swu + "crypto/swupdate_pkcs7_verify_mbedtls.c"),
        Rule("swupdate.signature-unparsable", "cannot be parsed as DER-encoded * signature blob", ChecksumMismatch, 0.55, Swu + "crypto/swupdate_cms_verify_openssl.c"),
        // The handler for this image type is not built into the device's SWUpdate: a package for another build.
        Rule("swupdate.image-type-unsupported", "Image Type * not supported", WrongHardware, 0.45, Swu + "core/installer.c"),
        Failure("swupdate.no-downgrade", "No downgrading allowed", Swu + "core/parser.c"),
        Failure("swupdate.installer-failed", "Installer for * not successful", Swu + "core/installer.c"),
        Failure("swupdate.installation-failed", "Installation failed", Swu + "core/stream_interface.c"),
        Failure("swupdate.required-image-missing", "Required image file * missing", Swu + "core/stream_interface.c"),
        Failure("swupdate.failed", "SWUpdate *failed*", Swu + "core/install_from_file.c"),
        Benign("swupdate.state-unreadable", "Cannot read stored update state", Swu + "core/state.c"),
        Benign("swupdate.state-key-missing", "Key * not found in Bootloader's environment", Swu + "core/state.c"),

        // Handlers.
        Failure("swupdate.raw.write", "Error writing * to disk", Swu + "handlers/raw_handler.c"),
        Failure("swupdate.raw.open", "Device * cannot be opened", Swu + "handlers/raw_handler.c"),
        Failure("swupdate.rawfile.rename", "Error renaming * to", Swu + "handlers/raw_handler.c (rawfile)"),
        Rule("swupdate.ubivol.will-not-fit", "will not fit volume", InsufficientSpace, 0.85, Swu + "handlers/ubivol_handler.c"),
        Rule("swupdate.ubivol.cannot-create", "cannot create * UBI volume * of * bytes", InsufficientSpace, 0.6, Swu + "handlers/ubivol_handler.c"),
        Rule("swupdate.ubivol.cannot-resize", "Can't resize ubi volume", InsufficientSpace, 0.55, Swu + "handlers/ubivol_handler.c"),
        Rule("swupdate.ubivol.no-ubi", "Request to write into UBI, but no UBI on system", WrongHardware, 0.55, Swu + "handlers/ubivol_handler.c"),
        Rule("swupdate.flash.does-not-fit", "Image * does not fit into mtd*", InsufficientSpace, 0.85, Swu + "handlers/flash_handler.c"),
        Rule("swupdate.flash.no-mtd", "MTD * does not exist", WrongHardware, 0.5, Swu + "handlers/flash_handler.c"),
        Failure("swupdate.flash.bad-blocks", "too many bad blocks", Swu + "handlers/flash_handler.c"),
        Failure("swupdate.flash.install", "Failure installing into", Swu + "handlers/flash_handler.c"),
        // libarchive's words, passed on by the archive handler: a tarball cut short or damaged.
        Rule("swupdate.archive.truncated", "/(?:truncated|damaged) (?:tar|gzip|zip|cpio)? ?(?:archive|input|file)|unexpected end of (?:archive|file)|unrecognized archive format/", ChecksumMismatch, 0.65, Swu + "handlers/archive_handler.c (libarchive)"),
        Failure("swupdate.archive.read", "archive_read_data_block():", Swu + "handlers/archive_handler.c"),
        Failure("swupdate.archive.mount", "Device * with filesystem * cannot be mounted", Swu + "handlers/archive_handler.c"),
        Failure("swupdate.diskpart.apply", "/partition table cannot be (?:applied|written|deleted)|can t write table/", Swu + "handlers/diskpart_handler.c"),
        Failure("swupdate.bootloader.env", "Bootloader-specific error * updating its environment", Swu + "core/installer.c (bootloader/uboot env handler)"),
        Failure("swupdate.remote.failed", "/connection with \\S+ cannot be established|remote handler returns error/", Swu + "handlers/remote_handler.c"),
        Rule("swupdate.swuforward.transfer", "SWU transfer to * failed", Unreachable, 0.5, Swu + "handlers/swuforward_handler.c"),
        Rule("swupdate.swuforward.no-connection", "No connection to", Unreachable, 0.55, Swu + "handlers/swuforward_handler.c"),
        Fallback("swupdate.rdiff.chunk", "Error processing rdiff chunk", ChecksumMismatch, 0.5, Swu + "handlers/rdiff_handler.c"),
        Failure("swupdate.rdiff.base-eof", "Unexpected EOF on rdiff base file", Swu + "handlers/rdiff_handler.c"),
        Rule("swupdate.delta.corrupted", "Corrupted package received", ChecksumMismatch, 0.8, Swu + "handlers/delta_handler.c"),
        Fallback("swupdate.delta.chunk-hash", "Cannot get hash for chunk", ChecksumMismatch, 0.5, Swu + "handlers/delta_handler.c"),
        Rule("swupdate.delta.transfer", "Transfer was unsuccessful, aborting", Unreachable, 0.5, Swu + "handlers/delta_handler.c"),
        Failure("swupdate.ssbl.failed", "/ssbl cannot be read|cannot write ssbl admin/", Swu + "handlers/ssbl_handler.c"),

        // corelib/channel_curl.c: downloads (the curl error text itself is matched by the curl rules).
        // A download given up after its retries: the article's "download was truncated".
        Fallback("swupdate.channel.too-many-attempts", "too many failed download attempts", ChecksumMismatch, 0.6, Swu + "corelib/channel_curl.c"),
        Rule("swupdate.channel.lost-connection", "Lost connection. Retrying after", Unreachable, 0.45, Swu + "corelib/channel_curl.c"),
        Failure("swupdate.channel.http-error", "Channel operation returned HTTP error code", Swu + "corelib/channel_curl.c"),
        Failure("swupdate.channel.get-failed", "Channel get operation failed", Swu + "corelib/channel_curl.c"),

        // suricatta/server_hawkbit.c
        Rule("swupdate.hawkbit.checksum", "Checksum does not match: Should be", ChecksumMismatch, 0.9, Swu + "suricatta/server_hawkbit.c"),
        Rule("swupdate.hawkbit.not-accessible", "Hawkbit is not accessible", Unreachable, 0.6, Swu + "suricatta/server_hawkbit.c"),
        Failure("swupdate.hawkbit.no-suitable-image", "No suitable .swu image found", Swu + "suricatta/server_hawkbit.c"),
        Failure("swupdate.hawkbit.chunk-failed", "Installing Update Chunk Artifacts failed", Swu + "suricatta/server_hawkbit.c"),
        Failure("swupdate.hawkbit.update-failed", "Update Failed.", Swu + "suricatta/server_hawkbit.c"),
        Failure("swupdate.hawkbit.malformed-json", "Got malformed JSON", Swu + "suricatta/server_hawkbit.c"),
    ];
}
