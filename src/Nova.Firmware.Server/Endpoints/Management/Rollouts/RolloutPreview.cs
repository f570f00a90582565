using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Nova.Firmware.Domain.Common;
using Nova.Firmware.Domain.Devices;
using Nova.Firmware.Domain.Packages;
using Nova.Firmware.Domain.Preflight;
using Nova.Firmware.Domain.Rollouts;
using Nova.Firmware.Engine.Jobs;
using Nova.Firmware.Engine.Rollouts;
using Nova.Firmware.Persistence;

namespace Nova.Firmware.Server.Endpoints.Management.Rollouts;

/// <summary>
/// The pre-flight gate's preview of a rollout, on what is stored (nothing is created, nothing is
/// sent): how many devices would pass, wait, be blocked or have checks not yet known, and why,
/// grouped by reason. Each device gets the package that would fit it, as the rollout would choose.
/// </summary>
public static class RolloutPreview
{
    /// <summary>Devices whose gate is evaluated one by one; above this the counts cover the first ones (ordered by controller id) and say so.</summary>
    public const int MaxEvaluated = 5000;

    public static async Task<IResult> RunAsync(PreviewRolloutRequest request, FirmwareDbContext db, DeviceJobStepper gate, IOptions<RolloutOptions> options, CancellationToken ct)
    {
        var packageIds = request.PackageIds ?? (request.PackageId is { } one ? [one] : []);
        var probe = new Rollout { Name = "preview", CreatedBy = "preview", PackageIds = packageIds, Target = request.Target ?? new(), Strategy = request.Strategy ?? new() };
        var errors = RolloutRules.Check(probe).ToDictionary();
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        var found = await db.Set<FirmwarePackage>().AsNoTracking().Where(p => packageIds.Contains(p.Id)).ToListAsync(ct);
        var packages = packageIds.Select(id => found.FirstOrDefault(p => p.Id == id)).ToList();
        if (packages.IndexOf(null) is var missing and >= 0)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [$"packageIds[{missing}]"] = [$"Package {packageIds[missing]} does not exist."] });
        }
        var devices = await db.Set<Device>().AsNoTracking().Matching(probe.Target).OrderBy(d => d.ControllerId).Take(options.Value.MaxDevices + 1).ToListAsync(ct);
        if (devices.Count > options.Value.MaxDevices)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["target"] = [$"More than {options.Value.MaxDevices} devices match; narrow the target."] });
        }
        var members = RolloutMembers.Plan(devices, packages!, probe.Strategy, 0, DateTimeOffset.UnixEpoch);
        var byId = devices.ToDictionary(d => d.Id);
        var counts = new Dictionary<string, int> { ["pass"] = 0, ["wait"] = 0, ["block"] = 0, ["unknown"] = 0 };
        var reasons = new Dictionary<(string Outcome, string? Check, string Reason), int>();
        var evaluated = 0;
        foreach (var member in members)
        {
            string outcome;
            PreflightCheckResult? why;
            if (member.PackageId is not { } packageId)
            {
                outcome = "block";
                why = new PreflightCheckResult(PreflightCheck.Compatibility, CheckOutcome.Block, member.Reason ?? "No package of the rollout fits.");
            }
            else if (evaluated >= MaxEvaluated)
            {
                continue;
            }
            else
            {
                evaluated++;
                var verdict = await gate.DryRunAsync(byId[member.DeviceId], found.First(p => p.Id == packageId), ct);
                var unknown = verdict.Results.FirstOrDefault(r => r.Outcome == CheckOutcome.Unknown);
                (outcome, why) = verdict.Decision switch
                {
                    PreflightDecision.Block => ("block", verdict.FirstBlock),
                    PreflightDecision.Wait => ("wait", verdict.FirstWait),
                    PreflightDecision.Proceed or PreflightDecision.CleanUp when unknown is not null => ("unknown", unknown),
                    PreflightDecision.CleanUp => ("pass", verdict.Results.FirstOrDefault(r => r.Check == PreflightCheck.Space)),
                    PreflightDecision.Proceed => ("pass", null),
                    _ => throw new InvalidOperationException($"Unknown pre-flight decision {verdict.Decision}."),
                };
            }
            counts[outcome]++;
            if (why is not null)
            {
                var key = (outcome, why.Check.ToWire(), why.Reason.Length > 300 ? why.Reason[..300] : why.Reason);
                reasons[key] = reasons.GetValueOrDefault(key) + 1;
            }
        }
        var planned = members.Where(m => m.Wave != RolloutDevice.Unplanned).ToList();
        return TypedResults.Ok(new
        {
            matching = devices.Count,
            planned = planned.Count,
            noPackage = members.Count - planned.Count,
            waves = planned.GroupBy(m => m.Wave).OrderBy(g => g.Key).Select(g => new { wave = g.Key, devices = g.Count() }),
            perPackage = planned.GroupBy(m => m.PackageId).Select(g => new { packageId = g.Key, devices = g.Count() }),
            evaluated,
            gate = counts,
            reasons = reasons.OrderByDescending(r => r.Value).Take(50).Select(r => new { outcome = r.Key.Outcome, check = r.Key.Check, reason = r.Key.Reason, devices = r.Value }),
        });
    }
}
