using Nova.Firmware.Protocols.Ddi;
using Nova.Firmware.Simulator.Devices;

namespace Nova.Firmware.Simulator.Faces.Ddi;

// Feedback and telemetry: progress posts, the final word after the reboot, and configData.
public sealed partial class DdiAgent
{
    /// <summary>After a reboot, report what really happened to the pending action (SWUpdate's "-c 2" mark-good, or the failure).</summary>
    private async Task ReportAfterRebootAsync(SimulatedDevice device, CancellationToken power)
    {
        if (device.PendingUpdate is not { } pending)
        {
            return;
        }
        var active = device.ActiveSlot;
        // The truth decides, not the plan: a staged-image retry may have finished an interrupted write.
        var landed = active.Version == pending.TargetVersion && (pending.TargetSlot is null || active.Name == pending.TargetSlot);
        var (finished, details) = pending switch
        {
            _ when landed => (DdiValues.Finished.Success, new[] { "Update Installed.", $"Update successful, booted slot {active.Name} version {active.Version}" }),
            { Installed: false } => (DdiValues.Finished.Failure, new[]
            {
                $"Installation failed: interrupted (reset reason {Wire.Name(device.ResetReason)}), slot write incomplete",
                "Installation failed",
            }),
            _ => (DdiValues.Finished.Failure, device.LastBootFailure is { } why
                ? new[] { $"previous boot: {why}", $"boot failure, fell back to slot {active.Name} (version {active.Version})", "Installation failed" }
                : new[] { $"boot failure, fell back to slot {active.Name} (version {active.Version})", "Installation failed" }),
        };
        if (await FinishAsync(device, pending.ActionId, new Uri(pending.FeedbackUrl), finished, details, power))
        {
            device.PendingUpdate = null;
        }
    }

    /// <summary>
    /// The final word on an action. Only a delivered one closes the action on the device: if the
    /// server was down or refused it, the server still offers the action at the next poll and the
    /// agent runs it again (a failure before writing) or re-sends the post-reboot result.
    /// </summary>
    private async Task<bool> FinishAsync(SimulatedDevice device, string actionId, Uri feedback, string finished, IReadOnlyList<string> details, CancellationToken power)
    {
        var delivered = await ReportAsync(device, actionId, feedback, DdiValues.Execution.Closed, finished, null, details, power);
        if (delivered)
        {
            device.FinishedActions.Add(actionId);
        }
        return delivered;
    }

    private async Task<bool> ReportAsync(SimulatedDevice device, string actionId, Uri feedback, string execution, string finished, DdiProgress? progress, IReadOnlyList<string> details, CancellationToken power)
    {
        var body = new DdiActionFeedback(actionId, LocalTime(device), new DdiStatus(execution, new DdiResult(finished, progress), details));
        device.Log($"suricatta: feedback {execution}/{finished}: {string.Join(" | ", details)}");
        try
        {
            if (await PostFeedbackAsync(device, feedback, body, power))
            {
                return true;
            }
            device.Log("suricatta: feedback not delivered: refused by the server");
            return false;
        }
        catch (HttpRequestException ex)
        {
            device.Log($"suricatta: feedback not delivered: {ex.Message}");
            return false;
        }
    }

    private async Task<bool> PutConfigDataAsync(SimulatedDevice device, Uri configData, CancellationToken power)
    {
        using var response = await SendRequestAsync(device, HttpMethod.Put, configData, new DdiConfigData(Telemetry(device)), power);
        // Not taken: send it again with the next poll.
        return Accepted(device, response);
    }

    /// <summary>Identity and telemetry, always the device's truth (the running slot's version).</summary>
    public static Dictionary<string, string> Telemetry(SimulatedDevice device)
    {
        var truth = device.Truth();
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [DdiValues.Attributes.HwRevision] = truth.HwRevision,
            [DdiValues.Attributes.Model] = truth.Model,
            [DdiValues.Attributes.SerialNo] = truth.Serial,
            [DdiValues.Attributes.Vendor] = truth.Vendor,
            [DdiValues.Attributes.Soc] = truth.Soc,
            [DdiValues.Attributes.Kind] = Wire.Name(truth.Kind),
            [DdiValues.Attributes.FirmwareVersion] = truth.RunningVersion ?? "",
            [DdiValues.Attributes.InactiveFirmwareVersion] = device.InactiveSlot?.Version ?? "",
            [DdiValues.Attributes.FreeBytes] = truth.Storage.FreeBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [DdiValues.Attributes.TotalBytes] = truth.Storage.CapacityBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [DdiValues.Attributes.PowerFeed] = truth.PowerFeed,
            [DdiValues.Attributes.ResetReason] = Wire.Name(truth.ResetReason),
            [DdiValues.Attributes.BootMode] = Wire.Name(truth.Mode),
            [DdiValues.Attributes.Led] = Wire.Name(truth.Led),
            [DdiValues.Attributes.BootCount] = device.BootsToLastGoodBoot.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
    }
}
