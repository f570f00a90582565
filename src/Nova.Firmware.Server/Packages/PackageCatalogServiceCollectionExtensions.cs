using Nova.Firmware.Persistence.Packages;

namespace Nova.Firmware.Server.Packages;

public static class PackageCatalogServiceCollectionExtensions
{
    /// <summary>The firmware catalog: blob store, importer and package store.</summary>
    public static IServiceCollection AddPackageCatalog(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PackageCatalogOptions>().Bind(configuration.GetSection(PackageCatalogOptions.Section)).ValidateDataAnnotations()
            .Validate(o => !o.RequireSignedBundles || !string.IsNullOrEmpty(o.TrustedSignersFile),
                "Nova:Packages:RequireSignedBundles needs Nova:Packages:TrustedSignersFile: without trusted signers no signature can be checked.")
            .ValidateOnStart();
        services.AddSingleton<PackageSignatures>();
        services.AddSingleton<BlobStore>();
        services.AddScoped<PackageStore>();
        services.AddScoped<PackageImporter>();
        services.AddHostedService<StaleImportCleaner>();
        return services;
    }
}
