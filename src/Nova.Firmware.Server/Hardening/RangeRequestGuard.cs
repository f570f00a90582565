namespace Nova.Firmware.Server.Hardening;

/// <summary>
/// Range requests on downloads (packages, DDI artifacts): an over-long <c>Range</c> header is refused
/// (400) before any file is opened, and a 416 answer carries a problem document like every other
/// error (the file result leaves it empty). A Range that does not parse is ignored, as HTTP allows:
/// the whole file is sent.
/// </summary>
public sealed class RangeRequestGuard(RequestDelegate next, IProblemDetailsService problems)
{
    /// <summary>Far above any range a download client sends ("bytes=123-" or a handful of ranges).</summary>
    public const int MaxRangeHeaderLength = 1024;

    public async Task InvokeAsync(HttpContext context)
    {
        var range = context.Request.Headers.Range;
        if (range.Count == 0)
        {
            await next(context);
            return;
        }
        if (range.Count > 1 || range.ToString().Length > MaxRangeHeaderLength)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await WriteAsync(context, "Range header too long", $"A Range header has at most {MaxRangeHeaderLength} characters.");
            return;
        }
        await next(context);
        if (context.Response.StatusCode == StatusCodes.Status416RangeNotSatisfiable && !context.Response.HasStarted)
        {
            context.Response.ContentLength = null;
            context.Response.ContentType = null;
            await WriteAsync(context, "Range not satisfiable", $"The requested range is outside the file ({context.Response.Headers.ContentRange}).");
        }
    }

    private ValueTask WriteAsync(HttpContext context, string title, string detail) =>
        problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = context.Response.StatusCode, Title = title, Detail = detail },
        });
}
