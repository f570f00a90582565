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
        // The recovery ladder re-flashes over TFTP only when this server runs; devices reach it at
        // the bind address unless Nova:Recovery:TftpServer names the address they must use.
        services.AddOptions<Engine.Recovery.RecoveryOptions>().PostConfigure<IOptions<TftpOptions>>((recovery, tftp) =>
        {
            if (recovery.TftpServer is null && tftp.Value.Enabled)
            {
                var host = tftp.Value.BindAddress is "0.0.0.0" or "::" ? System.Net.Dns.GetHostName() : tftp.Value.BindAddress;
                recovery.TftpServer = $"{host}:{tftp.Value.Port}";
            }
        });
        return services;
    }
}
