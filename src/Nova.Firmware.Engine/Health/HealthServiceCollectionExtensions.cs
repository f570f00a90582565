using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Nova.Firmware.Engine.Health;

public static class HealthServiceCollectionExtensions
{
    /// <summary>
    /// The device health sweep and its settings, validated at start. The host supplies
    /// <see cref="DeviceHealthOptions.DdiPollInterval"/> from its DDI settings.
    /// </summary>
    public static IServiceCollection AddDeviceHealthSweep(this IServiceCollection services, IConfiguration configuration, bool runLoop = true)
    {
        services.AddOptions<DeviceHealthOptions>().Bind(configuration.GetSection(DeviceHealthOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DeviceHealthOptions>, DeviceHealthOptionsValidator>();
        services.AddSingleton<DeviceHealthSweep>();
        if (runLoop)
        {
            services.AddHostedService(sp => sp.GetRequiredService<DeviceHealthSweep>());
        }
        return services;
    }
}
