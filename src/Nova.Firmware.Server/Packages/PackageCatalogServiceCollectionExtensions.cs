using Microsoft.Extensions.Options;
using Nova.Firmware.Persistence.Packages;
using Nova.Firmware.Protocols.Swu;

namespace Nova.Firmware.Server.Packages;

public static class PackageCatalogServiceCollectionExtensions
{
    /// <summary>The firmware catalog: blob store, importer and package store.</summary>
    public static IServiceCollection AddPackageCatalog(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PackageCatalogOptions>().Bind(configuration.GetSection(PackageCatalogOptions.Section)).ValidateDataAnnotations()
            .Validate(o => !o.RequireSignedBundles || !string.IsNullOrEmpty(o.TrustedSignersFile),
                "Nova:Packages:RequireSignedBundles needs Nova:Packages:TrustedSignersFile: without trusted signers no signature can be checked.")
            .Validate(o => string.IsNullOrEmpty(o.TrustedSignersFile) || TrustFileLoads(o.TrustedSignersFile),
                "Nova:Packages:TrustedSignersFile must be a readable PEM file holding at least one certificate.")
            .ValidateOnStart();
        services.AddSingleton<PackageSignatures>();
        services.AddSingleton<BlobStore>();
        services.AddScoped<PackageStore>();
        services.AddScoped<PackageImporter>();
        services.AddHostedService<StaleImportCleaner>();
        return services;
    }

    private static bool TrustFileLoads(string path)
    {
        try
        {
            var certificates = SwuSignatureVerifier.LoadTrustFile(path);
            foreach (var certificate in certificates)
            {
                certificate.Dispose();
            }
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or System.Security.Cryptography.CryptographicException)
        {
            return false;
        }
    }
}
