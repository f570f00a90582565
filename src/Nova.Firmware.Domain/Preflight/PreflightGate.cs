using Nova.Firmware.Domain.Devices;
using Nova.Firmware.Domain.Packages;

namespace Nova.Firmware.Domain.Preflight;

/// <summary>
/// The pre-flight gate: the article's causes of failed flashes, checked before any byte is sent.
/// Each check says pass, block or unknown with a reason a person can act on.
/// </summary>
public sealed class PreflightGate(PreflightOptions options)
{
    public PreflightVerdict Evaluate(PreflightInput input)
    {
        var space = CheckSpace(input);
        var results = new List<PreflightCheckResult>
        {
            space,
            CheckCompatibility(input),
            CheckChecksum(input),
            CheckPower(input),
            CheckReachability(input),
            CheckHealth(input),
        };
        var blocks = results.Where(r => r.Outcome == CheckOutcome.Block || (options.BlockOnUnknown && r.Outcome == CheckOutcome.Unknown)).ToList();
        var waits = results.Any(r => r.Outcome == CheckOutcome.Wait);
        var shortfall = Shortfall(input);
        if (blocks.Count == 1 && blocks[0].Check == PreflightCheck.Space && space.Outcome == CheckOutcome.Block && input.CanCleanUp)
        {
            // Clean up only once nothing else holds the flash back: a device that is not there cannot be cleaned.
            return new PreflightVerdict(results, waits ? PreflightDecision.Wait : PreflightDecision.CleanUp, shortfall);
        }
        if (options.BlockOnUnknown)
        {
            results = results.Select(r => r.Outcome == CheckOutcome.Unknown ? r with { Outcome = CheckOutcome.Block, Reason = r.Reason + " (unknown blocks by configuration)" } : r).ToList();
        }
        var decision = blocks.Count > 0 ? PreflightDecision.Block : waits ? PreflightDecision.Wait : PreflightDecision.Proceed;
        return new PreflightVerdict(results, decision, shortfall);
    }

    private long Shortfall(PreflightInput input) =>
        input.Device.Storage.FreeBytes is { } free ? Math.Max(0, options.RequiredFreeBytes(input.Package.Size) - free) : 0;

    private PreflightCheckResult CheckSpace(PreflightInput input)
    {
        var required = options.RequiredFreeBytes(input.Package.Size);
        if (input.Device.Storage.FreeBytes is not { } free)
        {
            return new(PreflightCheck.Space, CheckOutcome.Unknown, $"The device has not reported its free staging space; the image needs {Bytes(required)} including margin.");
        }
        if (free >= required)
        {
            return new(PreflightCheck.Space, CheckOutcome.Pass, $"{Bytes(free)} free, {Bytes(required)} needed (image {Bytes(input.Package.Size)} plus margin).");
        }
        var cleanUp = input.CanCleanUp
            ? "A clean-up of logs, old firmware backups and uploaded snapshots will be tried first."
            : "The device offers no remote clean-up: clear log partitions, old firmware backups or uploaded snapshots on the device (web UI or serial console), then retry.";
        return new(PreflightCheck.Space, CheckOutcome.Block, $"Short by {Bytes(required - free)}: {Bytes(free)} free, {Bytes(required)} needed (image {Bytes(input.Package.Size)} plus margin). {cleanUp}");
    }

    private static PreflightCheckResult CheckCompatibility(PreflightInput input)
    {
        if (input.CompatibilityProblems.Count == 0)
        {
            return new(PreflightCheck.Compatibility, CheckOutcome.Pass,
                $"Package fits {input.Device.Vendor} {input.Device.Model} rev {input.Device.HardwareRevision} ({input.Device.Soc}).");
        }
        var instead = input.MatchingPackage is { } match
            ? $" Use package {match.Id} ({match.Vendor} {match.Version}, {match.FileName}), which matches this device."
            : " No package in the catalog matches this device's model, hardware revision and SoC.";
        return new(PreflightCheck.Compatibility, CheckOutcome.Block,
            string.Join(" ", input.CompatibilityProblems) + " Never flash across hardware revisions, even if the device would accept the file." + instead);
    }

    private static PreflightCheckResult CheckChecksum(PreflightInput input) => input.BlobIntact
        ? new(PreflightCheck.Checksum, CheckOutcome.Pass,
            $"SHA-256 {input.Package.Sha256} matched the vendor's published hash on import; the hash travels with the transfer for the device to check.{SignatureNote(input.Package)}")
        : new(PreflightCheck.Checksum, CheckOutcome.Block, $"The stored package no longer hashes to {input.Package.Sha256} (missing or corrupted on disk): re-import it from the vendor.");

    /// <summary>
    /// What is known of a bundle's signature. Told, not judged: the gate does not know whether the
    /// device verifies signatures, and the catalog already refused every bundle whose signature failed.
    /// </summary>
    private static string SignatureNote(FirmwarePackage package) => package.Format switch
    {
        PackageFormat.Raw => "",
        PackageFormat.Swu => package.SignatureCheck switch
        {
            SignatureCheck.Verified => $" Its sw-description.sig was verified on import (signed by {package.SignedBy}).",
            SignatureCheck.NotChecked => " Its signature was not checked on import (no trust file configured then): a device that verifies signatures may still refuse it.",
            SignatureCheck.NotSigned => " It is not signed: a device that requires signed bundles will refuse it.",
            _ => throw new InvalidOperationException($"Unknown signature check {package.SignatureCheck}."),
        },
        _ => throw new InvalidOperationException($"Unknown package format {package.Format}."),
    };

    private PreflightCheckResult CheckPower(PreflightInput input)
    {
        var since = input.Now - options.PowerEventWindow;
        // A power event is transient: the job waits until the window has passed, then looks again.
        if (input.Report?.LastPowerEventAt is { } own && own > since)
        {
            return new(PreflightCheck.Power, CheckOutcome.Wait,
                $"The device came back from a power loss at {own:u} ({input.Report.ResetReason}); deferred until {own + options.PowerEventWindow:u}.")
            { RecheckAt = own + options.PowerEventWindow };
        }
        var feed = input.Device.PowerFeed.SwitchId;
        if (feed is not null && input.LastPowerEventOnFeed is { } onFeed && onFeed > since)
        {
            return new(PreflightCheck.Power, CheckOutcome.Wait,
                $"A device on power feed {feed} reported a power loss at {onFeed:u}; deferred until {onFeed + options.PowerEventWindow:u}.")
            { RecheckAt = onFeed + options.PowerEventWindow };
        }
        return new(PreflightCheck.Power, CheckOutcome.Pass,
            feed is null
                ? $"No power events on the device in the last {options.PowerEventWindow.TotalMinutes:0} minutes (no power feed recorded)."
                : $"No power events on the device or feed {feed} in the last {options.PowerEventWindow.TotalMinutes:0} minutes.");
    }

    private PreflightCheckResult CheckReachability(PreflightInput input)
    {
        var recheck = input.Now + options.WaitRecheckInterval;
        switch (input.Contact.Outcome)
        {
            case DeviceContactOutcome.Answered:
                return new(PreflightCheck.Reachability, CheckOutcome.Pass, "The device answered just now.");
            case DeviceContactOutcome.Unauthorized:
                // Permanent until an operator acts: waiting would only lock the account on some cameras.
                return new(PreflightCheck.Reachability, CheckOutcome.Block,
                    $"The device refused our credentials ({input.Contact.Reason}); nothing was sent. Set the device's or its site's credentials, then start a new job.");
            case DeviceContactOutcome.Unreachable:
                return new(PreflightCheck.Reachability, CheckOutcome.Wait, $"The device did not answer ({input.Contact.Reason}); asking again at {recheck:u}.") { RecheckAt = recheck };
            case DeviceContactOutcome.NotAsked:
                break;
            default:
                throw new InvalidOperationException($"Unknown contact outcome {input.Contact.Outcome}.");
        }
        if (input.Device.Health.LastSeenAt is not { } seen)
        {
            return new(PreflightCheck.Reachability, CheckOutcome.Wait, "The device has never contacted the server; waiting for its first contact.") { RecheckAt = recheck };
        }
        var age = input.Now - seen;
        return age <= options.ReachabilityWindow
            ? new(PreflightCheck.Reachability, CheckOutcome.Pass, $"Last seen {Age(age)} ago.")
            : new(PreflightCheck.Reachability, CheckOutcome.Wait, $"Last seen {Age(age)} ago ({seen:u}); more than {Age(options.ReachabilityWindow)} means unreachable; waiting for it to check in.") { RecheckAt = recheck };
    }

    private PreflightCheckResult CheckHealth(PreflightInput input)
    {
        if (input.Report?.BootMode is { } mode && !mode.Equals("normal", StringComparison.OrdinalIgnoreCase))
        {
            return new(PreflightCheck.Health, CheckOutcome.Block, $"The device reports boot mode '{mode}', not normal.");
        }
        return input.Device.Health.Status switch
        {
            HealthStatus.Healthy => new(PreflightCheck.Health, CheckOutcome.Pass, "The device reports healthy."),
            HealthStatus.Unknown => new(PreflightCheck.Health, CheckOutcome.Unknown, "The device has not reported its health."),
            HealthStatus.Degraded => new(PreflightCheck.Health, CheckOutcome.Block, "The device reports degraded health: fix that before flashing."),
            // Offline is the reachability check's business: it waits, or the device answered just now.
            HealthStatus.Offline when input.Contact.Outcome == DeviceContactOutcome.Answered => new(PreflightCheck.Health, CheckOutcome.Pass, "Marked offline, but the device answered just now."),
            HealthStatus.Offline => new(PreflightCheck.Health, CheckOutcome.Wait, "The device is offline; waiting for it to come back.") { RecheckAt = input.Now + options.WaitRecheckInterval },
            _ => new(PreflightCheck.Health, CheckOutcome.Unknown, $"Unrecognised health status {input.Device.Health.Status}."),
        };
    }

    internal static string Bytes(long bytes) => bytes switch
    {
        >= 1L << 30 => $"{bytes / (double)(1L << 30):0.##} GiB",
        >= 1L << 20 => $"{bytes / (double)(1L << 20):0.##} MiB",
        >= 1L << 10 => $"{bytes / 1024.0:0.##} KiB",
        _ => $"{bytes} B",
    };

    private static string Age(TimeSpan t) => t.TotalHours >= 1 ? $"{t.TotalHours:0.#} h" : t.TotalMinutes >= 1 ? $"{t.TotalMinutes:0.#} min" : $"{t.TotalSeconds:0} s";
}
