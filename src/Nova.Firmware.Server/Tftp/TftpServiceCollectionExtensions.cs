using Microsoft.Extensions.Options;

namespace Nova.Firmware.Server.Tftp;

public static class TftpServiceCollectionExtensions
{
    /// <summary>The TFTP rescue server: settings checked at start, the catalog as its files, transfers on the timeline.</summary>
    public static IServiceCollection AddTftpRescueServer(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TftpOptions>().Bind(configuration.GetSection(TftpOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TftpOptions>, TftpOptionsValidator>();
        services.AddScoped<StockImageResolver>();
        services.AddSingleton<TftpTransferAttributions>();
        services.AddSingleton<CatalogTftpFileProvider>();
        services.AddSingleton<TftpTimelineRecorder>();
        services.AddSingleton<TftpRescueServer>();
        services.AddHostedService(sp => sp.GetRequiredService<TftpRescueServer>());
        return services;
    }
}
