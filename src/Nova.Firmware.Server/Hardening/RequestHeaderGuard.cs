namespace Nova.Firmware.Server.Hardening;

/// <summary>
/// Over-large request headers are answered <c>431</c> with a problem document. Kestrel answers headers
/// over its own limits itself, with an empty body, before any middleware runs (that answer cannot be
/// customised); so its limits are raised to <see cref="KestrelHeadersTotalLimit"/> and
/// <see cref="KestrelHeaderCountLimit"/>, and this guard enforces Kestrel's usual limits
/// (<see cref="MaxHeadersTotalSize"/>, <see cref="MaxHeaderCount"/>) the way every other error is answered.
/// </summary>
public sealed class RequestHeaderGuard(RequestDelegate next, IProblemDetailsService problems)
{
    public const int MaxHeadersTotalSize = 32 * 1024;
    public const int MaxHeaderCount = 100;
    public const int KestrelHeadersTotalLimit = 64 * 1024;
    public const int KestrelHeaderCountLimit = 200;

    public async Task InvokeAsync(HttpContext context)
    {
        var count = 0;
        var size = 0;
        foreach (var (name, values) in context.Request.Headers)
        {
            foreach (var value in values)
            {
                // Counted as Kestrel counts a header line: "name: value" and its CRLF.
                count++;
                size += name.Length + (value?.Length ?? 0) + 4;
            }
        }
        if (count > MaxHeaderCount || size > MaxHeadersTotalSize)
        {
            await problems.RefuseAsync(context, StatusCodes.Status431RequestHeaderFieldsTooLarge, "Request headers too large",
                $"A request has at most {MaxHeaderCount} header lines of at most {MaxHeadersTotalSize} bytes together.");
            return;
        }
        await next(context);
    }
}
