using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.EntityFrameworkCore;
using Nova.Firmware.Domain.Accounts;
using Nova.Firmware.Persistence;
using Nova.Firmware.Server.Auth;

namespace Nova.Firmware.Server.WebConsole;

/// <summary>
/// The console's sign-in cookie, next to Basic and Bearer. Requests choose their credential: an
/// <c>Authorization</c> header always goes to the API's own handler (scripts, the CLI and the API
/// page behave exactly as before); otherwise the console cookie, when the browser sends one or asks
/// for a console page. The cookie is SameSite=Strict and HttpOnly, and the cross-site guard checks
/// every state change it could carry (docs/security.md#browsers).
/// </summary>
public static class ConsoleAuthentication
{
    public const string CookieScheme = "NovaConsole";
    public const string SelectorScheme = "NovaCredentials";
    public const string CookieName = "nova-console";
    public const string AuthMethod = "console";
    public const string SignInPath = "/console/sign-in";

    public static AuthenticationBuilder AddNovaCredentials(this IServiceCollection services) =>
        services.AddAuthentication(SelectorScheme)
            .AddPolicyScheme(SelectorScheme, "Basic, Bearer or console cookie", o => o.ForwardDefaultSelector = Select)
            .AddScheme<AuthenticationSchemeOptions, NovaAuthenticationHandler>(NovaAuthenticationHandler.SchemeName, null)
            .AddCookie(CookieScheme, o =>
            {
                o.Cookie.Name = CookieName;
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.LoginPath = SignInPath;
                o.AccessDeniedPath = "/console/denied";
                o.ExpireTimeSpan = TimeSpan.FromHours(8);
                o.SlidingExpiration = true;
                o.Events.OnRedirectToLogin = ctx => RedirectOrStatus(ctx, StatusCodes.Status401Unauthorized);
                o.Events.OnRedirectToAccessDenied = ctx => RedirectOrStatus(ctx, StatusCodes.Status403Forbidden);
                o.Events.OnValidatePrincipal = RevalidateAsync;
            });

    /// <summary>Console pages and Blazor's own endpoints: where a missing sign-in means "show the sign-in page".</summary>
    public static bool IsConsolePath(PathString path) =>
        path.StartsWithSegments("/console", StringComparison.OrdinalIgnoreCase) || path.StartsWithSegments("/_blazor", StringComparison.OrdinalIgnoreCase);

    private static string Select(HttpContext context) =>
        context.Request.Headers.ContainsKey("Authorization") ? NovaAuthenticationHandler.SchemeName
        : context.Request.Cookies.ContainsKey(CookieName) || IsConsolePath(context.Request.Path) ? CookieScheme
        : NovaAuthenticationHandler.SchemeName;

    /// <summary>Pages get redirected to the sign-in page; the API answers with a status (a problem document), never an HTML redirect.</summary>
    private static Task RedirectOrStatus(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (IsConsolePath(context.Request.Path) && !context.Request.Path.StartsWithSegments("/_blazor", StringComparison.OrdinalIgnoreCase))
        {
            context.Response.Redirect(context.RedirectUri);
        }
        else
        {
            context.Response.StatusCode = status;
        }
        return Task.CompletedTask;
    }

    /// <summary>
    /// A cookie speaks for its user only while they stand: disabled or deleted ends it, a changed
    /// role takes effect on the next request rather than when the cookie expires.
    /// </summary>
    private static async Task RevalidateAsync(CookieValidatePrincipalContext context)
    {
        var name = context.Principal?.FindFirstValue(ClaimTypes.Name);
        var db = context.HttpContext.RequestServices.GetRequiredService<FirmwareDbContext>();
        var user = name is null ? null : await db.Set<User>().AsNoTracking().SingleOrDefaultAsync(u => u.UserName == name, context.HttpContext.RequestAborted);
        if (user is null || user.Disabled)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieScheme);
            return;
        }
        var roles = context.Principal!.FindAll(ClaimTypes.Role).Select(c => c.Value).Order(StringComparer.Ordinal);
        if (!roles.SequenceEqual(Policies.RolesIncludedIn(user.Role).Order(StringComparer.Ordinal)))
        {
            context.ReplacePrincipal(Principal(user));
            context.ShouldRenew = true;
        }
    }

    public static ClaimsPrincipal Principal(User user) =>
        new(new ClaimsIdentity(PasswordSignIn.UserClaims(user, AuthMethod), CookieScheme, ClaimTypes.Name, ClaimTypes.Role));
}
