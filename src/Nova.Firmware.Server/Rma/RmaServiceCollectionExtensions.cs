using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Nova.Firmware.Server.Rma;

public static class RmaServiceCollectionExtensions
{
    /// <summary>The RMA bundle: its loader and settings, and the technicians' photos.</summary>
    public static IServiceCollection AddRmaBundles(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RmaOptions>().Bind(configuration.GetSection(RmaOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddScoped<IRmaPhotoSource, TechnicianPhotoSource>();
        services.AddScoped<RmaBundleLoader>();
        return services;
    }
}
