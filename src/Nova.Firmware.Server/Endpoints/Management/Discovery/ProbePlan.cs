using Nova.Firmware.Domain.Common;
using Nova.Firmware.Domain.Devices;
using Nova.Firmware.Protocols.Onvif.Discovery;

namespace Nova.Firmware.Server.Endpoints.Management.Discovery;

/// <summary>A checked probe request: where the Probe goes, and whose credentials identify what answers.</summary>
public sealed record ProbePlan(WsDiscoveryProbeOptions Probe, string? Site, bool Identify)
{
    public const int MinTimeoutSeconds = 1;
    public const int MaxTimeoutSeconds = 30;
    public const int DefaultTimeoutSeconds = 3;
    /// <summary>Enough for a subnet's cameras listed one by one; beyond that, multicast is the tool.</summary>
    public const int MaxUnicastTargets = 1024;

    /// <summary>The plan, or every broken rule keyed by its wire path (<c>unicast[2]</c>, <c>timeoutSeconds</c>).</summary>
    public static ProbePlan? From(OnvifProbeRequest? request, out List<FieldError> errors)
    {
        errors = [];
        request ??= new OnvifProbeRequest();
        var targets = new List<System.Net.IPEndPoint>();
        var unicast = request.Unicast ?? [];
        if (unicast.Count > MaxUnicastTargets)
        {
            errors.Add(new FieldError("unicast", $"At most {MaxUnicastTargets} addresses per probe."));
        }
        else
        {
            for (var i = 0; i < unicast.Count; i++)
            {
                if (IpLiteral.ParseProbeTarget(unicast[i], out var problem) is { } target)
                {
                    targets.Add(target);
                }
                else
                {
                    errors.Add(new FieldError($"unicast[{i}]", problem!));
                }
            }
        }

        var multicast = request.Multicast ?? true;
        if (!multicast && unicast.Count == 0)
        {
            errors.Add(new FieldError("unicast", "Nothing to probe: give addresses, or leave multicast on."));
        }
        var timeout = request.TimeoutSeconds ?? DefaultTimeoutSeconds;
        if (timeout is < MinTimeoutSeconds or > MaxTimeoutSeconds)
        {
            errors.Add(new FieldError("timeoutSeconds", $"Must be from {MinTimeoutSeconds} to {MaxTimeoutSeconds}."));
        }
        var site = string.IsNullOrWhiteSpace(request.Site) ? null : request.Site.Trim();
        if (site is not null)
        {
            errors.AddRange(CredentialRules.CheckSite(site));
        }
        if (errors.Count > 0)
        {
            return null;
        }

        var options = new WsDiscoveryProbeOptions
        {
            Multicast = multicast,
            UnicastTargets = [.. targets.Distinct()],
            Timeout = TimeSpan.FromSeconds(timeout),
        };
        return new ProbePlan(options, site, request.Identify ?? true);
    }
}
