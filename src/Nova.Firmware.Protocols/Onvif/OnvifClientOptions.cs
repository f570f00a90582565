namespace Nova.Firmware.Protocols.Onvif;

/// <summary>Authentication, time limits, retries and read caps of one <see cref="OnvifClient"/>.</summary>
public sealed class OnvifClientOptions
{
    public OnvifAuthMode AuthMode { get; init; } = OnvifAuthMode.Auto;

    /// <summary>Limit for one SOAP call, all authentication round trips included.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Limit for the firmware upload, from the first byte sent to the camera's answer. Cameras
    /// often check the image before they answer, so this covers more than the transfer.
    /// </summary>
    public TimeSpan UploadTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Extra attempts for idempotent reads when the camera cannot be reached. Writes never retry.</summary>
    public int ReadRetries { get; init; } = 2;

    /// <summary>Wait before the first read retry; doubled for each further one.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Largest SOAP or JSON answer read; a bigger one is a malformed answer, not an out-of-memory.</summary>
    public int MaxResponseBytes { get; init; } = 1024 * 1024;

    /// <summary>Largest system log read (GetSystemLog and the vendor log endpoints).</summary>
    public int MaxLogBytes { get; init; } = 8 * 1024 * 1024;

    /// <summary>
    /// Before the first UsernameToken, ask the camera for its clock (no authentication needed) so
    /// the token's Created time is in the camera's time; cameras refuse tokens from "the future".
    /// </summary>
    public bool MeasureClockSkewBeforeUsernameToken { get; init; } = true;

    /// <summary>
    /// How long to wait for "100 Continue" before sending the image anyway. Applies only to the
    /// handler the client creates itself; a handler passed in keeps its own setting.
    /// </summary>
    public TimeSpan ExpectContinueTimeout { get; init; } = TimeSpan.FromSeconds(5);

    public void Validate()
    {
        if (!Enum.IsDefined(AuthMode))
        {
            throw new ArgumentOutOfRangeException(nameof(AuthMode), AuthMode, "Unknown authentication mode.");
        }

        Positive(RequestTimeout, nameof(RequestTimeout));
        Positive(UploadTimeout, nameof(UploadTimeout));
        Positive(ExpectContinueTimeout, nameof(ExpectContinueTimeout));
        if (RetryDelay < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(RetryDelay), RetryDelay, "RetryDelay must not be negative.");
        }

        if (ReadRetries is < 0 or > 10)
        {
            throw new ArgumentOutOfRangeException(nameof(ReadRetries), ReadRetries, "ReadRetries must be 0 to 10.");
        }

        if (MaxResponseBytes < 4096 || MaxLogBytes < 4096)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxResponseBytes), MaxResponseBytes, "Read caps must be at least 4096 bytes.");
        }
    }

    private static void Positive(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero && value != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be positive.");
        }
    }
}
