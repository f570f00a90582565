using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Nova.Firmware.Server.Auth;
using Nova.Firmware.Server.Ddi;

namespace Nova.Firmware.Server.Hardening;

/// <summary>
/// The defences every request passes through, registered in one place: input that cannot be stored,
/// malformed requests as 4xx problems, browser defences, password-guessing limits, and credentials
/// that end with their owner. What they do and why: docs/security.md.
/// </summary>
public static class HardeningServiceCollectionExtensions
{
    public static IServiceCollection AddNovaHardening(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<JsonOptions>(o => o.SerializerOptions.Converters.Add(new StorableStringJsonConverter()));
        // Binding failures (bad JSON, wrong content type, unparsable query values) throw, so the
        // exception handler can answer them as problem documents naming the field.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddExceptionHandler<BadRequestProblemHandler>();
        services.Configure<OpenApiOptions>("v1", o => o.AddDocumentTransformer<ApiPageSignIn>());
        // Room for RequestLineGuard and RequestHeaderGuard to answer over-long lines and headers
        // themselves, with a problem document; Kestrel's own answer has an empty body.
        services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(o =>
        {
            o.Limits.MaxRequestLineSize = RequestLineGuard.KestrelRequestLineLimit;
            o.Limits.MaxRequestHeadersTotalSize = RequestHeaderGuard.KestrelHeadersTotalLimit;
            o.Limits.MaxRequestHeaderCount = RequestHeaderGuard.KestrelHeaderCountLimit;
        });

        services.AddOptions<SecurityOptions>().Bind(configuration.GetSection(SecurityOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SecurityOptions>, SecurityOptionsValidator>();
        services.AddOptions<SignInOptions>().Bind(configuration.GetSection(SignInOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SignInOptions>, SignInOptionsValidator>();
        services.AddSingleton<SignInThrottle>();
        services.AddSingleton<CredentialRevocations>();
        services.AddSingleton<CredentialBoundStream>();
        services.AddSingleton<DdiCredentialCache>();
        return services;
    }

    /// <summary>The middleware part, first in the pipeline so even error answers get the headers.</summary>
    public static IApplicationBuilder UseNovaHardening(this IApplicationBuilder app) =>
        app.UseMiddleware<SecurityHeadersMiddleware>().UseMiddleware<RequestLineGuard>().UseMiddleware<RequestHeaderGuard>()
            .UseMiddleware<RangeRequestGuard>();
}
