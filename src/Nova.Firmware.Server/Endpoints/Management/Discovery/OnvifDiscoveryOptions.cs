using System.ComponentModel.DataAnnotations;

namespace Nova.Firmware.Server.Endpoints.Management.Discovery;

/// <summary>How discovery asks cameras who they are (<c>Nova:Discovery</c>).</summary>
public sealed class OnvifDiscoveryOptions
{
    public const string Section = "Nova:Discovery";

    /// <summary>Cameras asked at once: enough to list a site quickly, few enough not to flood a small switch or the cameras' web servers.</summary>
    [Range(1, 64)]
    public int IdentifyParallelism { get; set; } = 8;

    /// <summary>
    /// Limit for one camera's GetDeviceInformation, authentication included. Short: a camera on the
    /// same network answers in well under a second, and one silent camera must not hold the call.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan IdentifyTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
