using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Nova.Firmware.Server.Hardening;

/// <summary>
/// Declares the management API's two sign-in schemes in the OpenAPI document, so the API page
/// (/api) offers its own Authorize dialog (user name and password, or an API key) and sends the
/// credentials explicitly, instead of relying on the browser's Basic prompt, which the server no
/// longer triggers for browsers.
/// </summary>
public sealed class ApiPageSignIn : IOpenApiDocumentTransformer
{
    public const string Basic = "basic";
    public const string ApiKey = "apiKey";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[Basic] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http, Scheme = "basic", Description = "A user's name and password.",
        };
        document.Components.SecuritySchemes[ApiKey] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http, Scheme = "bearer", BearerFormat = "nfk_…", Description = "An API key (Authorization: Bearer nfk_…).",
        };
        document.Security ??= [];
        document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Basic, document)] = [] });
        document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKey, document)] = [] });
        return Task.CompletedTask;
    }
}
