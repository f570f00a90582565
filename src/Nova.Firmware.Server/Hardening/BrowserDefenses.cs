using Microsoft.Extensions.Options;

namespace Nova.Firmware.Server.Hardening;

/// <summary>
/// Security headers on every answer: pages, API documents and problems alike. A handler that sets
/// its own Content-Security-Policy (the article pages) keeps it.
/// </summary>
public sealed class SecurityHeadersMiddleware(RequestDelegate next)
{
    /// <summary>For anything that is not the API page: no scripts, no styles, no framing.</summary>
    public const string DefaultPolicy = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    /// <summary>The API page (Swagger UI) loads its own scripts and inline styles, from this server only.</summary>
    public const string ApiPagePolicy = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    /// <summary>
    /// The web console: its own scripts and styles (Blazor's, MudBlazor's from _content, the
    /// console's), its circuit's WebSocket to this server, forms posting back to this server. Styles
    /// alone may be inline: MudBlazor writes style attributes (grid and drawer sizes, progress bar
    /// widths, chart geometry) and its theme provider a &lt;style&gt; element with the theme's CSS
    /// variables. Inline scripts stay refused, and every other page keeps the stricter policies above.
    /// </summary>
    public const string ConsolePolicy = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

    public Task InvokeAsync(HttpContext context)
    {
        var apiPage = context.Request.Path.StartsWithSegments("/api", out var rest) && !rest.StartsWithSegments("/v1");
        var console = WebConsole.ConsoleAuthentication.IsConsolePath(context.Request.Path)
            || context.Request.Path.StartsWithSegments("/_framework") || context.Request.Path.StartsWithSegments("/_content");
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            // Console pages post forms and uploads back to this server, and the cross-site guard wants
            // their real Origin: under no-referrer a browser sends "Origin: null" on such posts.
            // same-origin still tells other sites nothing.
            headers["Referrer-Policy"] = console ? "same-origin" : "no-referrer";
            if (string.IsNullOrEmpty(headers.ContentSecurityPolicy))
            {
                headers.ContentSecurityPolicy = apiPage ? ApiPagePolicy : console ? ConsolePolicy : DefaultPolicy;
            }
            return Task.CompletedTask;
        });
        return next(context);
    }
}

/// <summary>
/// Refuses cross-site state changes on the management API (CSRF). Browsers attach remembered Basic
/// credentials to any request, including a form another site submits, so a POST, PUT, PATCH or
/// DELETE under /api/v1 is refused (403 problem) when the browser says it comes from elsewhere: an
/// <c>Origin</c> other than this server's own (or an allowed one), <c>Origin: null</c>, or
/// <c>Sec-Fetch-Site: cross-site</c> / <c>same-site</c>. Browsers send these on every such request
/// and pages cannot forge them; scripts (curl, the CLI) send neither and are not affected.
/// </summary>
public sealed partial class CrossSiteRequestGuard(RequestDelegate next, IOptions<SecurityOptions> options, IOptions<Ddi.DdiOptions> ddi,
    IProblemDetailsService problems, ILogger<CrossSiteRequestGuard> log)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        // The console's forms and circuit carry its sign-in cookie like the API does: guarded alike.
        if (!IsStateChange(request) || !(request.Path.StartsWithSegments(Auditing.AuditMiddleware.ApiPrefix, StringComparison.OrdinalIgnoreCase)
            || WebConsole.ConsoleAuthentication.IsConsolePath(request.Path)))
        {
            await next(context);
            return;
        }
        if (Refusal(request) is { } reason)
        {
            LogCrossSiteRefused(log, request.Method, request.Path.Value ?? "", reason);
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            await problems.WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = new Microsoft.AspNetCore.Mvc.ProblemDetails
                {
                    Status = StatusCodes.Status403Forbidden,
                    Title = "Cross-site request refused",
                    Detail = $"{reason} The management API accepts changes only from this server's own pages and from scripts.",
                },
            });
            return;
        }
        await next(context);
    }

    private static bool IsStateChange(HttpRequest request) =>
        !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method) || HttpMethods.IsTrace(request.Method));

    internal string? Refusal(HttpRequest request)
    {
        var origin = request.Headers.Origin.ToString();
        if (origin.Length > 0)
        {
            if (origin == "null")
            {
                return "The request comes from an opaque origin (Origin: null).";
            }
            if (!IsOwnOrigin(origin, request) && !IsPublicOrigin(origin) && !options.Value.AllowedOrigins.Any(o => string.Equals(o.TrimEnd('/'), origin, StringComparison.OrdinalIgnoreCase)))
            {
                return "The request comes from another site's page (Origin).";
            }
            return null;
        }
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Equals("cross-site", StringComparison.OrdinalIgnoreCase) || site.Equals("same-site", StringComparison.OrdinalIgnoreCase))
        {
            return "The request comes from another site's page (Sec-Fetch-Site).";
        }
        return null;
    }

    /// <summary>Behind a proxy the Host header may be rewritten; the configured public URL is this server too.</summary>
    private bool IsPublicOrigin(string origin) =>
        ddi.Value.PublicBaseUrl is { } url && Uri.TryCreate(url, UriKind.Absolute, out var uri)
        && string.Equals(uri.GetLeftPart(UriPartial.Authority), origin, StringComparison.OrdinalIgnoreCase);

    private static bool IsOwnOrigin(string origin, HttpRequest request) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri)
        && string.Equals(uri.Scheme, request.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}", request.Host.Value, StringComparison.OrdinalIgnoreCase);

    [LoggerMessage(EventId = 9001, Level = LogLevel.Warning, Message = "Refused a cross-site {Method} {Path}: {Reason}")]
    private static partial void LogCrossSiteRefused(ILogger logger, string method, string path, string reason);
}
