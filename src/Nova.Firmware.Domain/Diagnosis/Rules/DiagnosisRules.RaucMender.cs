using static Nova.Firmware.Domain.Diagnosis.FailureCause;

namespace Nova.Firmware.Domain.Diagnosis;

// RAUC (rauc/rauc), rauc-hawkbit-updater (rauc/rauc-hawkbit-updater) and the Mender client
// (mendersoftware/mender: the Go client up to 3.x, the C++ mender-update from 4.0).
public static partial class DiagnosisRules
{
    private const string RaucRepo = "rauc/rauc ";
    private const string RhuRepo = "rauc/rauc-hawkbit-updater ";
    private const string MenderRepo = "mendersoftware/mender ";

    private static IEnumerable<DiagnosisRule> Rauc() =>
    [
        Rule("rauc.compatible-mismatch", "Compatible mismatch: Expected * but bundle manifest has", WrongHardware, 0.9, RaucRepo + "src/install.c"),
        Rule("rauc.unexpected-hash", "Refusing to install bundle with unexpected hash", ChecksumMismatch, 0.8, RaucRepo + "src/install.c"),
        Rule("rauc.payload-corrupted", "bundle payload is corrupted", ChecksumMismatch, 0.9, RaucRepo + "src/bundle.c"),
        Rule("rauc.verity-failed", "/verification of (?:data area|root hash) failed/", ChecksumMismatch, 0.8, RaucRepo + "src/verity_hash.c"),
        Rule("rauc.signature-failed", "signature verification failed:", ChecksumMismatch, 0.65, RaucRepo + "src/signature.c"),
        Rule("rauc.certificate", "Failed to verify X509 cert", ChecksumMismatch, 0.55, RaucRepo + "src/signature.c"),
        Rule("rauc.invalid-bundle", "Invalid bundle format", ChecksumMismatch, 0.55, RaucRepo + "src/bundle.c"),
        Rule("rauc.signature-size", "/signature size (?:\\(\\d+\\) exceeds bundle size|is 0)/", ChecksumMismatch, 0.6, RaucRepo + "src/bundle.c"),
        Rule("rauc.bundle-too-small", "Bundle size (*) is too small", ChecksumMismatch, 0.6, RaucRepo + "src/bundle.c"),
        Rule("rauc.slot-too-small", "Slot (* bytes) is too small for image", InsufficientSpace, 0.9, RaucRepo + "src/update_handler.c"),
        Rule("rauc.image-does-not-fit", "Size of image (*) does not fit to slot size", InsufficientSpace, 0.9, RaucRepo + "src/update_handler.c"),
        Rule("rauc.size-limit", "is larger than size-limit", InsufficientSpace, 0.85, RaucRepo + "src/update_handler.c"),
        Rule("rauc.unsupported-image-type", "Unsupported image type * for slot type", WrongHardware, 0.5, RaucRepo + "src/update_handler.c"),
        Rule("rauc.no-matching-variant", "Failed to find matching variant of image for", WrongHardware, 0.5, RaucRepo + "src/install.c"),
        Rule("rauc.destination-missing", "Destination device * for slot * not found", WrongHardware, 0.45, RaucRepo + "src/install.c"),
        // After a boot the health check marks the slot it booted from bad: the new slot did not come up right.
        Fallback("rauc.marked-bad", "Marked slot * as bad", BootFailure, 0.6, RaucRepo + "src/mark.c"),
        Failure("rauc.installation-error", "/installation error:|failed updating slot|installing \\S+ failed/", RaucRepo + "src/install.c, src/main.c"),
        Failure("rauc.download-failed", "Failed to download bundle", RaucRepo + "src/bundle.c"),
        Failure("rauc.transfer-failed", "/transfer failed:|http returned >=400/", RaucRepo + "src/network.c"),
        Failure("rauc.version-mismatch", "Version mismatch: Expected at least", RaucRepo + "src/install.c"),
    ];

    private static IEnumerable<DiagnosisRule> RaucHawkbitUpdater() =>
    [
        Rule("rauc-hawkbit-updater.no-space", "File size * exceeds available space", InsufficientSpace, 0.9, RhuRepo + "src/hawkbit-client.c"),
        Rule("rauc-hawkbit-updater.invalid-checksum", "Invalid checksum: * expected", ChecksumMismatch, 0.9, RhuRepo + "src/hawkbit-client.c"),
        Failure("rauc-hawkbit-updater.install-failed", "Failed to install software bundle", RhuRepo + "src/hawkbit-client.c"),
        Failure("rauc-hawkbit-updater.streaming-failed", "Streaming installation failed", RhuRepo + "src/hawkbit-client.c"),
        Failure("rauc-hawkbit-updater.auth", "Failed to authenticate. Check if", RhuRepo + "src/hawkbit-client.c"),
        Failure("rauc-hawkbit-updater.free-space-unknown", "Failed to calculate free space for", RhuRepo + "src/hawkbit-client.c"),
    ];

    private static IEnumerable<DiagnosisRule> Mender() =>
    [
        Rule("mender.device-type", "image (device types *) not compatible with device", WrongHardware, 0.9, MenderRepo + "installer/installer.go, app/mender.go (3.x)"),
        Rule("mender.device-type-cpp", "Artifact device type doesn't match", WrongHardware, 0.9, MenderRepo + "src/mender-update/context/context.cpp"),
        Rule("mender.checksum", "invalid checksum; expected: [*]; actual:", ChecksumMismatch, 0.9, MenderRepo + "vendor/github.com/mendersoftware/mender-artifact/artifact/checksum.go (3.x)"),
        Rule("mender.checksum-cpp", "The checksum of the read byte-stream does not match the expected checksum", ChecksumMismatch, 0.9, MenderRepo + "src/artifact/sha/platform/openssl/sha.cpp"),
        Rule("mender.signature", "/signer: verification failed|failed to verify the manifest signature/", ChecksumMismatch, 0.65, MenderRepo + "mender-artifact artifact/signer.go, src/artifact/v3/manifest_sig"),
        Rule("mender.size-changed", "Size of artifact changed after download was resumed", ChecksumMismatch, 0.6, MenderRepo + "src/common/http/http_resumer.cpp"),
        Rule("mender.verify-reboot", "Reboot to the new update failed", BootFailure, 0.85, MenderRepo + "installer/dual_rootfs_device.go (3.x)"),
        // rootfs-image module after the reboot: the running root is not the partition the update switched to.
        Rule("mender.root-mismatch", "Mounted root (*) does not match boot loader environment", BootFailure, 0.6, MenderRepo + "support/modules/rootfs-image"),
        Rule("mender.reverted", "Upgrade failed and was reverted", BootFailure, 0.85, MenderRepo + "support/modules/rootfs-image"),
        // The state machine rolls back after any failed install, not only after a failed boot: a hint only.
        Fallback("mender.rollback-state", "/entering artifactrollback(?:reboot)? state|artifactrollback_enter/", BootFailure, 0.45, MenderRepo + "src/mender-update/daemon/states.cpp, app/state.go"),
        Failure("mender.install-failed", "Artifact install failed", MenderRepo + "app/standalone.go (3.x)"),
    ];
}
