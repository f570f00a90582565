namespace Nova.Firmware.Server.Endpoints;

/// <summary>
/// The two audiences, kept apart: the management API (operators, CLI, console) under /api/v1,
/// and the device-facing API (DDI, artifact downloads). Each resource maps itself in its own file.
/// </summary>
public static class EndpointMap
{
    public static RouteGroupBuilder MapManagementEndpoints(this RouteGroupBuilder api)
    {
        api.MapPackageEndpoints();
        return api;
    }

    public static IEndpointRouteBuilder MapDeviceFacingEndpoints(this IEndpointRouteBuilder app)
    {
        return app;
    }
}
