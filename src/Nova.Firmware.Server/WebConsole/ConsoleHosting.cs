using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Mvc;
using MudBlazor.Services;
using Nova.Firmware.Server.WebConsole.Components;

namespace Nova.Firmware.Server.WebConsole;

/// <summary>The web console (docs/console.md): Blazor with interactive server rendering, served by this host under /console.</summary>
public static class ConsoleHosting
{
    public static WebApplicationBuilder AddNovaConsole(this WebApplicationBuilder builder)
    {
        // Serve the framework's and the console's static files from a build output too (dotnet run in
        // any environment, test hosts); a published server has them in wwwroot already.
        builder.WebHost.UseStaticWebAssets();
        var services = builder.Services;
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddCascadingAuthenticationState();
        // MudBlazor's services (popovers, dialogs, snackbars, the browser-size watcher the drawer uses).
        services.AddMudServices();
        services.AddScoped<AuthenticationStateProvider, ConsoleAuthenticationStateProvider>();
        services.AddSingleton<ConsoleAudit>();
        services.AddSingleton<ConsoleScope>();
        services.AddSingleton<RolloutActions>();
        return builder;
    }

    public static WebApplication MapNovaConsole(this WebApplication app)
    {
        // Files, not endpoints: the static-assets endpoints of a build output add a catch-all GET
        // route, which would turn every unknown POST into a 405 instead of the API's 404.
        app.UseStaticFiles();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        // A form post (with its antiforgery token, validated because it binds a form field): a link
        // or another site's page cannot sign anyone out.
        app.MapPost("/console/sign-out", async (HttpContext context, [FromForm(Name = "reason")] string? reason) =>
        {
            await context.SignOutAsync(ConsoleAuthentication.CookieScheme);
            return Results.Redirect(ConsoleAuthentication.SignInPath + (reason == "idle" ? "?idle=1" : ""));
        }).ExcludeFromDescription();
        return app;
    }
}
