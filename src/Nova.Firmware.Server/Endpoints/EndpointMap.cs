using Nova.Firmware.Server.Articles;
using Nova.Firmware.Server.Ddi;
using Nova.Firmware.Server.Endpoints.Management;
using Nova.Firmware.Server.Auditing;
using Nova.Firmware.Server.Endpoints.Management.Accounts;
using Nova.Firmware.Server.Endpoints.Management.Credentials;
using Nova.Firmware.Server.Endpoints.Management.Devices;
using Nova.Firmware.Server.Endpoints.Management.Discovery;
using Nova.Firmware.Server.Endpoints.Management.Recovery;
using Nova.Firmware.Server.Endpoints.Management.Rollouts;
using Nova.Firmware.Server.Rma;

namespace Nova.Firmware.Server.Endpoints;

/// <summary>
/// The two audiences, kept apart: the management API (operators, CLI, console) under /api/v1,
/// and the device-facing API (DDI, artifact downloads). Each resource maps itself in its own file.
/// Beside them, pages anyone may read: the support articles that failures link to.
/// </summary>
public static class EndpointMap
{
    public static RouteGroupBuilder MapManagementEndpoints(this RouteGroupBuilder api)
    {
        api.MapJobEndpoints();
        api.MapPreflightEndpoints();
        api.MapDiagnosisEndpoints();
        api.MapDeviceTokenEndpoints();
        api.MapDeviceEndpoints();
        api.MapRmaEndpoints();
        api.MapCredentialEndpoints();
        api.MapDiscoveryEndpoints();
        api.MapUserEndpoints();
        api.MapApiKeyEndpoints();
        api.MapAuditEndpoints();
        api.MapPackageEndpoints();
        api.MapRecoveryEndpoints();
        api.MapRolloutEndpoints();
        api.MapTechnicianTaskEndpoints();
        api.MapArticleEndpoints();
        return api;
    }

    public static IEndpointRouteBuilder MapPublicPages(this IEndpointRouteBuilder app)
    {
        app.MapArticlePages();
        return app;
    }

    public static IEndpointRouteBuilder MapDeviceFacingEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapDdiEndpoints();
        return app;
    }
}
