namespace Nova.Firmware.Protocols.Onvif;

/// <summary>How the client proves who it is to a camera.</summary>
public enum OnvifAuthMode
{
    /// <summary>Answer an HTTP Digest challenge when the camera sends one; otherwise add a WS-UsernameToken.</summary>
    Auto = 0,

    /// <summary>HTTP Digest only (RFC 7616), ONVIF's normative scheme.</summary>
    Digest = 1,

    /// <summary>WS-Security UsernameToken with PasswordDigest only, ONVIF's legacy in-message scheme.</summary>
    UsernameToken = 2,
}
