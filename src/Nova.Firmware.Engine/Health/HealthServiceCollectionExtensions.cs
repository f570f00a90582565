using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Nova.Firmware.Engine.Health;

public static class HealthServiceCollectionExtensions
{
    /// <summary>
    /// The device health sweep, the probe loop for push devices, and their settings, validated at start. The host supplies
    /// <see cref="DeviceHealthOptions.DdiPollInterval"/> from its DDI settings.
    /// </summary>
    public static IServiceCollection AddDeviceHealthSweep(this IServiceCollection services, IConfiguration configuration, bool runLoop = true)
    {
        services.AddOptions<DeviceHealthOptions>().Bind(configuration.GetSection(DeviceHealthOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DeviceHealthOptions>, DeviceHealthOptionsValidator>();
        services.AddSingleton<DeviceHealthSweep>();
        services.AddSingleton<DeviceProbeLoop>();
        if (runLoop)
        {
            services.AddHostedService(sp => sp.GetRequiredService<DeviceHealthSweep>());
            services.AddHostedService(sp => sp.GetRequiredService<DeviceProbeLoop>());
        }
        return services;
    }
}
