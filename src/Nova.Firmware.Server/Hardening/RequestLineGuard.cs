namespace Nova.Firmware.Server.Hardening;

/// <summary>
/// Over-long request lines are answered <c>414</c> with a problem document. Kestrel answers lines over
/// its own limit itself, with an empty body, before any middleware runs (that answer cannot be
/// customised); so its limit is raised to <see cref="KestrelRequestLineLimit"/> and this guard refuses
/// anything over <see cref="MaxRequestLineLength"/> (Kestrel's usual 8 KB) the way every other error is
/// answered. Only a line over Kestrel's raised limit still gets Kestrel's empty 414.
/// </summary>
public sealed class RequestLineGuard(RequestDelegate next, IProblemDetailsService problems)
{
    public const int MaxRequestLineLength = 8 * 1024;
    /// <summary>
    /// Sixteen times the product's limit, so a client that overshoots gets the problem document; still
    /// a small part of Kestrel's 1 MB per-connection request buffer, which bounds the memory either way.
    /// </summary>
    public const int KestrelRequestLineLimit = 128 * 1024;

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        var length = request.Method.Length + request.PathBase.Value?.Length + request.Path.Value?.Length + request.QueryString.Value?.Length;
        if (length > MaxRequestLineLength)
        {
            await problems.RefuseAsync(context, StatusCodes.Status414UriTooLong, "Request line too long",
                $"A request's method, path and query have at most {MaxRequestLineLength} characters together.");
            return;
        }
        await next(context);
    }
}
