using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Nova.Firmware.Server.Rma;

public static class RmaServiceCollectionExtensions
{
    /// <summary>The RMA bundle: its loader and settings, and no photos until a photo source replaces <see cref="NoRmaPhotos"/>.</summary>
    public static IServiceCollection AddRmaBundles(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RmaOptions>().Bind(configuration.GetSection(RmaOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<IRmaPhotoSource, NoRmaPhotos>();
        services.AddScoped<RmaBundleLoader>();
        return services;
    }
}
