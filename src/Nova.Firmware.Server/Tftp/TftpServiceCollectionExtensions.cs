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
        // Read from the raw section, not the validated options: a bad TFTP setting must be reported
        // by the TFTP validator, once, not surface first through the recovery options.
        services.AddOptions<Engine.Recovery.RecoveryOptions>().PostConfigure(recovery =>
        {
            var tftp = new TftpOptions();
            try
            {
                configuration.GetSection(TftpOptions.Section).Bind(tftp);
            }
            catch (InvalidOperationException)
            {
                return; // unparsable: the TFTP options report it at start
            }
            if (recovery.TftpServer is null && tftp.Enabled)
            {
                var host = tftp.BindAddress is "0.0.0.0" or "::" ? System.Net.Dns.GetHostName() : tftp.BindAddress;
                recovery.TftpServer = $"{host}:{tftp.Port}";
            }
        });
        return services;
    }
}
