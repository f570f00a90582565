using Nova.Firmware.Domain.Devices;
using Nova.Firmware.Domain.Drivers;
using Nova.Firmware.Protocols.Onvif;

namespace Nova.Firmware.Server.Endpoints.Management.Discovery;

/// <summary>The credentials a camera found at a site signs in with, or why there are none.</summary>
public sealed record SiteCredentialLookup(OnvifCredentials? Credentials, string? Missing);

/// <summary>
/// Finds a site's camera credentials through the drivers' credential store, so discovery signs in
/// exactly as the driver later will. Never guesses (no default passwords): no site, no credentials.
/// </summary>
public sealed class SiteCredentials(IDeviceCredentialStore store)
{
    public async Task<SiteCredentialLookup> FindAsync(string? site, CancellationToken cancellationToken)
    {
        if (site is null)
        {
            return new SiteCredentialLookup(null, "no site given, so no credentials to sign in with");
        }

        // A camera not in the inventory yet: no device row has the empty id, so the store's rule
        // (the device's own credentials, else its site's) gives exactly the site's.
        var prospect = new Device { Id = Guid.Empty, Site = site, ControllerId = "", Vendor = "", Model = "", HardwareRevision = "", Soc = "", Serial = "" };
        try
        {
            return await store.FindAsync(prospect, cancellationToken) is { } found
                ? new SiteCredentialLookup(new OnvifCredentials(found.Username, found.Password), null)
                : new SiteCredentialLookup(null, $"no credentials for site {site}");
        }
        catch (DeviceCredentialsUnreadableException e)
        {
            return new SiteCredentialLookup(null, e.Message);
        }
    }
}
