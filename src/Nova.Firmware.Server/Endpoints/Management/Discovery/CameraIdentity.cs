using Nova.Firmware.Protocols.Onvif;

namespace Nova.Firmware.Server.Endpoints.Management.Discovery;

/// <summary>
/// What one camera said to GetDeviceInformation, and at which of its addresses; or why it could not
/// be asked or did not answer. Exactly one of <see cref="Information"/> and <see cref="Error"/> is set.
/// </summary>
public sealed record CameraIdentity(Uri? AnsweredAt, OnvifDeviceInformation? Information, string? Error)
{
    public static CameraIdentity Failed(string error) => new(null, null, error);
}
