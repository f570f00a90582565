using Nova.Firmware.Protocols.Onvif;

namespace Nova.Firmware.Drivers.Onvif;

/// <summary>The "Nova:Onvif" section: how the server talks to cameras.</summary>
public sealed class OnvifDriverOptions
{
    public const string Section = "Nova:Onvif";

    /// <summary>Digest (the ONVIF default), UsernameToken (legacy cameras), or Auto (Digest when challenged).</summary>
    public OnvifAuthMode AuthMode { get; set; } = OnvifAuthMode.Auto;
    /// <summary>Per SOAP call; a camera rebooting is asked again at the next re-check, so keep it short.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(5);
    /// <summary>The whole image upload.</summary>
    public TimeSpan UploadTimeout { get; set; } = TimeSpan.FromMinutes(30);
    /// <summary>
    /// After a push that was cut off (a crash mid-upload), how long a camera must answer on its old
    /// firmware before the upload counts as lost and is sent again. At least the camera's announced
    /// down time is always added: a camera still writing the image answers on its old version.
    /// </summary>
    public TimeSpan InterruptedUploadGrace { get; set; } = TimeSpan.FromMinutes(2);
    /// <summary>Beyond the announced down time, how long before a camera still on its old version counts as back on it (a fallback).</summary>
    public TimeSpan ReturnGrace { get; set; } = TimeSpan.FromSeconds(30);

    internal IEnumerable<string> Problems()
    {
        if (RequestTimeout <= TimeSpan.Zero) yield return $"{Section}:RequestTimeout must be a positive duration; it is {RequestTimeout}.";
        if (UploadTimeout <= TimeSpan.Zero) yield return $"{Section}:UploadTimeout must be a positive duration; it is {UploadTimeout}.";
        if (InterruptedUploadGrace < TimeSpan.Zero) yield return $"{Section}:InterruptedUploadGrace must not be negative; it is {InterruptedUploadGrace}.";
        if (ReturnGrace < TimeSpan.Zero) yield return $"{Section}:ReturnGrace must not be negative; it is {ReturnGrace}.";
        if (!Enum.IsDefined(AuthMode)) yield return $"{Section}:AuthMode must be Auto, Digest or UsernameToken.";
    }

    internal OnvifClientOptions ForClient() => new()
    {
        AuthMode = AuthMode,
        RequestTimeout = RequestTimeout,
        UploadTimeout = UploadTimeout,
        // The engine re-checks by itself: one quick retry for a dropped packet, no long backoff inside a step.
        ReadRetries = 1,
        RetryDelay = TimeSpan.FromMilliseconds(200),
    };
}
