using Nova.Firmware.Persistence.Packages;

namespace Nova.Firmware.Server.Packages;

public static class PackageCatalogServiceCollectionExtensions
{
    /// <summary>The firmware catalog: blob store, importer and package store.</summary>
    public static IServiceCollection AddPackageCatalog(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PackageCatalogOptions>().Bind(configuration.GetSection(PackageCatalogOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<BlobStore>();
        services.AddScoped<PackageStore>();
        services.AddScoped<PackageImporter>();
        services.AddHostedService<StaleImportCleaner>();
        return services;
    }
}
