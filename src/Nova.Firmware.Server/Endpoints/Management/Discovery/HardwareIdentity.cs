namespace Nova.Firmware.Server.Endpoints.Management.Discovery;

/// <summary>
/// ONVIF has no hardware revision or SoC. Some devices (this vendor's, and the simulator's) put
/// <c>revision/soc</c> in HardwareId; anything else is a vendor's free text and says neither.
/// </summary>
internal static class HardwareIdentity
{
    public const string Unknown = "unknown";

    /// <summary>Limits of the inventory's fields (DeviceRules).</summary>
    private const int MaxLength = 50;

    public static (string Revision, string Soc) Parse(string? hardwareId)
    {
        var parts = (hardwareId ?? "").Split('/');
        if (parts.Length == 2 && parts.All(Plausible))
        {
            return (parts[0].Trim(), parts[1].Trim());
        }
        return (Unknown, Unknown);
    }

    private static bool Plausible(string part)
    {
        var value = part.Trim();
        return value.Length is > 0 and <= MaxLength && !value.Any(c => char.IsControl(c) || char.IsWhiteSpace(c));
    }
}
