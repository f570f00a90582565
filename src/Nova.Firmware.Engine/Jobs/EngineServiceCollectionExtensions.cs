using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Nova.Firmware.Domain.Drivers;
using Nova.Firmware.Drivers.Ddi;
using Nova.Firmware.Engine.Options;

namespace Nova.Firmware.Engine.Jobs;

public static class EngineServiceCollectionExtensions
{
    /// <summary>The update engine: device job store, stepper, loop and drivers. The host supplies <see cref="IPackageBlobs"/>.</summary>
    public static IServiceCollection AddUpdateEngine(this IServiceCollection services, IConfiguration configuration, bool runLoops = true)
    {
        services.AddOptions<EngineOptions>().Bind(configuration.GetSection(EngineOptions.Section));
        services.AddSingleton<JobWakeup>();
        services.AddSingleton(sp => new EngineStartup(sp.GetRequiredService<TimeProvider>().GetUtcNow()));
        services.AddScoped<DeviceJobStore>();
        services.AddScoped<DeviceJobStepper>();
        services.AddScoped<DeviceJobService>();
        services.AddScoped<Observations.IObservationSink, Observations.ObservationSink>();
        services.AddSingleton<IDeviceDriver, DdiDriver>();
        services.AddSingleton<DeviceJobLoop>();
        if (runLoops)
        {
            services.AddHostedService(sp => sp.GetRequiredService<DeviceJobLoop>());
        }
        return services;
    }
}
