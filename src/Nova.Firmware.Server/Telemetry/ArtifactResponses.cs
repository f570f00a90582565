namespace Nova.Firmware.Server.Telemetry;

/// <summary>Counts a package download's bytes once its response has gone out whole.</summary>
public static class ArtifactResponses
{
    /// <summary>
    /// Counts the response's Content-Length (the whole file, or the requested range) when the
    /// response completes without the client going away. A download cut short is not counted; the
    /// ranged request that resumes it is.
    /// </summary>
    public static void CountWhenSent(HttpContext context, DeviceApiMetrics metrics, string channel) =>
        context.Response.OnCompleted(() =>
        {
            if (!context.RequestAborted.IsCancellationRequested && context.Response.StatusCode is StatusCodes.Status200OK or StatusCodes.Status206PartialContent
                && !HttpMethods.IsHead(context.Request.Method) && context.Response.ContentLength is { } length)
            {
                metrics.ArtifactSent(channel, length);
            }
            return Task.CompletedTask;
        });
}
