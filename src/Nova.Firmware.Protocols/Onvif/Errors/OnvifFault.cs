namespace Nova.Firmware.Protocols.Onvif;

/// <summary>
/// A SOAP fault as the camera sent it. <see cref="Code"/> is <c>Sender</c> or <c>Receiver</c>;
/// <see cref="Subcodes"/> are outermost first, written <c>ter:Name</c> when in ONVIF's error
/// namespace (e.g. <c>ter:ActionNotSupported</c>, <c>ter:NotAuthorized</c>).
/// </summary>
public sealed record OnvifFault(string Code, IReadOnlyList<string> Subcodes, string Reason)
{
    /// <summary>The first subcode, which names the ONVIF error class; null when none was sent.</summary>
    public string? Subcode => Subcodes.Count > 0 ? Subcodes[0] : null;

    /// <summary>True when any subcode has this local name (e.g. <c>"ActionNotSupported"</c>).</summary>
    public bool Has(string localName) =>
        Subcodes.Any(s => string.Equals(s[(s.IndexOf(':', StringComparison.Ordinal) + 1)..], localName, StringComparison.Ordinal));

    public bool IsActionNotSupported => Has("ActionNotSupported");

    public bool IsNotAuthorized => Has("NotAuthorized");
}
