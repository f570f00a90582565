using Nova.Firmware.Protocols.Onvif.Discovery;

namespace Nova.Firmware.Server.Endpoints.Management.Discovery;

public static class DiscoveryServiceCollectionExtensions
{
    /// <summary>The WS-Discovery probe and what the discovery API builds on it; settings checked at start.</summary>
    public static IServiceCollection AddOnvifDiscovery(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<OnvifDiscoveryOptions>().Bind(configuration.GetSection(OnvifDiscoveryOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => new WsDiscoveryProbe(sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<WsDiscoveryProbe>>()));
        services.AddSingleton<SiteCredentials>();
        services.AddSingleton<CameraIdentifier>();
        services.AddSingleton<CameraSurvey>();
        services.AddSingleton<CameraImporter>();
        return services;
    }
}
