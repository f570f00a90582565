namespace Nova.Firmware.Protocols.Onvif;

/// <summary>A camera account. ToString leaves the password out so it never reaches a log.</summary>
public sealed record OnvifCredentials(string Username, string Password)
{
    public override string ToString() => $"OnvifCredentials {{ Username = {Username} }}";
}
