using static Nova.Firmware.Domain.Diagnosis.FailureCause;

namespace Nova.Firmware.Domain.Diagnosis;

// Wording many tools share (libc strerror texts, Go's net errors, vendor agents' plain English),
// and the signals the server observes itself (see FailureClassifier for how they become lines).
public static partial class DiagnosisRules
{
    private const string Libc = "glibc/musl strerror texts";
    private const string Agents = "plain wording of vendor agents and of the simulator's devices (docs/simulator.md)";
    private const string Observed = "observed by the server";

    private static IEnumerable<DiagnosisRule> Generic() =>
    [
        Rule("generic.reset-reason-power", "/reset reason:? \\(?(?:power-?loss|brownout|under-?voltage)/", PowerLoss, 0.8, Agents),
        Rule("generic.power-loss", "/(?<!(?:avoid|prevent|against|protection|survive|survives) )\\bpower[ -](?:loss|lost|failure|cut)\\b/", PowerLoss, 0.65, Agents),
        Rule("generic.brownout", "/\\bbrown-?out\\b/", PowerLoss, 0.6, Agents),
        // A write cut off before it finished: power most often, a watchdog reset sometimes; below 0.7.
        Rule("generic.write-interrupted", "/\\binterrupted\\b.*\\bwrite incomplete\\b|\\b(?:slot|partition|image) write (?:incomplete|interrupted)\\b/", PowerLoss, 0.6, Agents),
        Rule("generic.boot-failure", "/\\bboot(?:ing)? fail(?:ure|ed)\\b|\\bfailed to boot\\b/", BootFailure, 0.65, Agents),
        Rule("generic.fell-back", "/\\b(?:fell|falling) back to (?:the )?(?:slot|partition|previous|old|other|rootfs|bank|firmware|image|version|[ab]\\b)/", BootFailure, 0.7, Agents),
        Rule("generic.boot-loop", "/\\bboot[- ]?loop(?:ing)?\\b/", BootFailure, 0.65, Agents),
        Rule("generic.bootcount-limit", "/\\bboot ?count limit\\b|\\bboot ?limit (?:reached|exceeded)\\b|\\bboot ?count \\d+ > boot ?limit\\b/", BootFailure, 0.75, Agents + "; UEFI and simulator boot logs"),
        Rule("generic.no-bootable", "/\\bno bootable (?:slot|partition|app|image)|\\bdevice bricked\\b/", BootFailure, 0.7, Agents),
        // An A/B agent that says it rolled back because the new image never confirmed its boot (ESPHome safe_mode and the like).
        Rule("generic.rollback-detected", "/\\brollback detected\\b|reset before the boot was marked successful/", BootFailure, 0.65, Agents + "; esphome/esphome safe_mode"),
        Fallback("generic.rolled-back", "/\\brolled back\\b|\\brolling back\\b/", BootFailure, 0.45, Agents),
        Rule("generic.no-space", "/\\b(?:not enough|insufficient|no) (?:free )?(?:disk |storage |flash )?space\\b|\\bout of (?:disk|storage) space\\b|\\b(?:disk|storage|flash) (?:is )?full\\b/", InsufficientSpace, 0.75, Agents),
        Rule("generic.wrong-hardware", "/\\bwrong (?:hardware|board|model|architecture|soc)\\b|\\bincompatible (?:hardware|board|architecture)\\b|\\bhardware (?:mismatch|not supported|incompatible)\\b|\\bnot compatible with (?:this )?(?:hardware|device|board)\\b/", WrongHardware, 0.65, Agents),
        Rule("generic.checksum", "/\\b(?:checksum|hash|digest|crc|md5|sha-?1|sha-?256) (?:error|mismatch|failed|failure|wrong|incorrect)\\b|\\b(?:checksum|hash) verification failed\\b|\\bintegrity check failed\\b/", ChecksumMismatch, 0.65, Agents),
        Fallback("generic.truncated", "/\\btruncated\\b/", ChecksumMismatch, 0.5, Agents),
        Rule("generic.dns", "/\\bname or service not known\\b|\\btemporary failure in name resolution\\b|\\bno such host\\b|\\bhost not found\\b/", Unreachable, 0.65, Libc + ", Go net (lookup ... no such host)"),
        Rule("generic.no-route", "/\\bnetwork is unreachable\\b|\\bno route to host\\b|\\bhost is unreachable\\b/", Unreachable, 0.6, Libc + " (ENETUNREACH, EHOSTUNREACH)"),
        Rule("generic.connection-refused", "Connection refused", Unreachable, 0.55, Libc + " (ECONNREFUSED)"),
        Rule("generic.connection-reset", "Connection reset by peer", Unreachable, 0.5, Libc + " (ECONNRESET)"),
        Rule("generic.io-timeout", "i/o timeout", Unreachable, 0.55, "golang/go src/net (dial tcp ... i/o timeout)"),
        Failure("generic.download-failed", "Download failed", Agents),
        Failure("generic.update-failed", "/\\b(?:update|upgrade|installation|install|flash(?:ing)?) (?:has )?failed\\b|\\bfailed to (?:install|update|upgrade|flash)\\b|\\berror installing\\b/", Agents),
    ];

    // Signals arrive as lines of their own ("reset-reason brownout", "http-status 413"...), built by
    // FailureClassifier from the context, so their rules sit in the same table as the log rules.
    private static IEnumerable<DiagnosisRule> Signals() =>
    [
        Signal("signal.reset-brownout", "/^reset-reason .*brown/", PowerLoss, 0.8, Observed + ": reset reason after the failure"),
        Signal("signal.reset-under-voltage", "/^reset-reason .*under-?volt/", PowerLoss, 0.75, Observed + ": reset reason after the failure"),
        Signal("signal.reset-power-loss", "/^reset-reason .*power[ _-]?(?:loss|lost|fail|failure|cut|off)/", PowerLoss, 0.75, Observed + ": reset reason after the failure"),
        // Every cold start is a power-on: it only corroborates.
        Signal("signal.reset-power-on", "/^reset-reason .*(?:power[ _-]?on|\\bpor\\b|cold)/", PowerLoss, 0.4, Observed + ": reset reason after the failure"),
        Signal("signal.reset-watchdog", "/^reset-reason .*(?:watchdog|wdt)/", BootFailure, 0.4, Observed + ": reset reason after the failure"),
        Signal("signal.power-event", "/^power-event /", PowerLoss, 0.7, Observed + ": power events while the job ran"),
        Signal("signal.fell-back", "fell-back-to-previous-version", BootFailure, 0.75, Observed + ": the device runs its previous version"),
        Signal("signal.boot-attempts", "/^boot-attempts (?:[2-9]|\\d{2,})$/", BootFailure, 0.7, Observed + ": boot attempts after the write"),
        Signal("signal.boot-mode-loop", "/^boot-mode boot-?loop/", BootFailure, 0.8, Observed + ": boot mode after the failure"),
        Signal("signal.boot-mode-recovery", "/^boot-mode (?:recovery|rescue|failsafe)/", BootFailure, 0.75, Observed + ": boot mode after the failure"),
        Signal("signal.boot-mode-bricked", "/^boot-mode bricked/", BootFailure, 0.75, Observed + ": boot mode after the failure"),
        Signal("signal.tftp-stock-image", "pulled-stock-image-over-tftp", BootFailure, 0.75, Observed + ": TFTP rescue transfers"),
        Signal("signal.never-returned", "never-returned", Unreachable, 0.6, Observed + ": silence past the deadline"),
        // Below 0.7 on purpose: a cable pulled mid-write looks the same from here.
        Signal("signal.vanished-while-writing", "vanished-while-writing", PowerLoss, 0.6, Observed + ": silence that began while the device was writing"),
        Signal("signal.http-507", "http-status 507", InsufficientSpace, 0.85, Observed + ": upload answer (RFC 4918)"),
        Signal("signal.http-413", "http-status 413", InsufficientSpace, 0.75, Observed + ": upload answer (RFC 9110)"),
        Signal("signal.http-415", "http-status 415", ChecksumMismatch, 0.55, Observed + ": upload answer (" + OnvifSpec + ")") with { Kind = RuleKind.Fallback },
    ];
}
