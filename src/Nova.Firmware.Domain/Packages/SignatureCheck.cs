using Nova.Firmware.Domain.Common;

namespace Nova.Firmware.Domain.Packages;

/// <summary>What the import found of a package's signature. An invalid signature is never stored: it is refused.</summary>
public enum SignatureCheck
{
    /// <summary>No signature came with the package (no sw-description.sig, no signature field).</summary>
    [WireName("not-signed")] NotSigned = 0,
    /// <summary>Signed, but not checked: no trust file is configured, or the signature is a detached one of a raw image.</summary>
    [WireName("not-checked")] NotChecked = 1,
    /// <summary>sw-description.sig verified against the configured trust file, as the device's SWUpdate will.</summary>
    [WireName("verified")] Verified = 2,
}
