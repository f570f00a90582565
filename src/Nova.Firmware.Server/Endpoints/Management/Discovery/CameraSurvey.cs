using Nova.Firmware.Persistence;
using Nova.Firmware.Protocols.Onvif.Discovery;

namespace Nova.Firmware.Server.Endpoints.Management.Discovery;

/// <summary>
/// One probe as the API runs it: WS-Discovery, then (when asked) GetDeviceInformation on what
/// answered, then which of them the inventory already holds.
/// </summary>
public sealed class CameraSurvey(WsDiscoveryProbe probe, SiteCredentials credentials, CameraIdentifier identifier, ILogger<CameraSurvey> log)
{
    public async Task<List<DiscoveredCameraWire>> RunAsync(ProbePlan plan, FirmwareDbContext db, CancellationToken cancellationToken)
    {
        var found = await probe.ProbeAsync(plan.Probe, cancellationToken);
        DiscoveryLog.Probed(log, plan.Probe.Multicast, plan.Probe.UnicastTargets.Count, plan.Probe.Timeout.TotalSeconds, found.Count);

        var identities = new CameraIdentity?[found.Count];
        if (plan.Identify && found.Count > 0)
        {
            var lookup = await credentials.FindAsync(plan.Site, cancellationToken);
            identities = await identifier.IdentifyAsync([.. found.Select(d => new IdentifyRequest(d.XAddrs, lookup))], cancellationToken);
        }

        var known = await InventoryLookup.FindAsync(db,
            found.SelectMany(d => d.XAddrs.Select(x => x.AbsoluteUri)),
            identities.SelectMany(ControllerIdCandidates).OfType<string>(),
            cancellationToken);
        return [.. found.Select((device, i) => ToWire(device, identities[i], known))];
    }

    /// <summary>The controllerId an import gives a camera by default: its serial, which survives a new address.</summary>
    private static string?[] ControllerIdCandidates(CameraIdentity? identity) => [identity?.Information?.SerialNumber];

    private static DiscoveredCameraWire ToWire(DiscoveredDevice device, CameraIdentity? identity, List<KnownDevice> known)
    {
        var scopes = device.ParsedScopes;
        var info = identity?.Information;
        var match = InventoryLookup.AtAddress(known, device.XAddrs.Select(x => x.AbsoluteUri))
            ?? InventoryLookup.WithControllerId(known, ControllerIdCandidates(identity));
        return new DiscoveredCameraWire(
            device.EndpointReference,
            [.. device.XAddrs.Select(x => x.AbsoluteUri)],
            new ScopesWire(scopes.Names, scopes.Hardware, scopes.Locations, scopes.Types, scopes.Profiles, scopes.Other),
            info?.Manufacturer, info?.Model, info?.FirmwareVersion, info?.SerialNumber, info?.HardwareId,
            identity?.Error,
            match?.Id);
    }
}
