using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Nova.Firmware.Engine.Drivers;
using Nova.Firmware.Engine.Leasing;
using Nova.Firmware.Engine.Observations;
using Nova.Firmware.Engine.Options;

using Nova.Firmware.Engine.Recovery;
using Nova.Firmware.Engine.Rollouts;
using Nova.Firmware.Persistence.Packages;

namespace Nova.Firmware.Engine.Jobs;

public static class EngineServiceCollectionExtensions
{
    /// <summary>
    /// The update engine: options (validated at start), device job store, stepper, loop and the
    /// observation sink. Drivers register themselves (<c>AddDdiDriver()</c>, <c>AddOnvifDriver()</c>);
    /// the host supplies <see cref="IPackageBlobs"/>.
    /// </summary>
    public static IServiceCollection AddUpdateEngine(this IServiceCollection services, IConfiguration configuration, bool runLoops = true)
    {
        services.AddOptions<EngineOptions>().Bind(configuration.GetSection(EngineOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EngineOptions>, EngineOptionsValidator>());
        services.AddSingleton<JobWakeup>();
        services.AddMetrics();
        services.TryAddSingleton<Telemetry.EngineMetrics>();
        services.TryAddSingleton<Telemetry.RolloutMetrics>();
        services.AddSingleton(sp => new EngineStartup(sp.GetRequiredService<TimeProvider>().GetUtcNow()));
        services.AddSingleton<DeviceDrivers>();
        services.AddSingleton<LeaseKeeper>();
        services.AddScoped<IObservationSink, ObservationSink>();
        services.AddScoped<DeviceReadingRecorder>();
        services.AddScoped<LeasedWork>();
        services.AddScoped<DeviceJobStore>();
        services.AddScoped<DeviceCommandStore>();
        services.AddScoped<DeviceJobStepper>();
        services.AddScoped<DeviceJobService>();
        services.AddSingleton<DeviceJobLoop>();
        services.AddOptions<RecoveryOptions>().Bind(configuration.GetSection(RecoveryOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RecoveryOptions>, RecoveryOptionsValidator>());
        services.TryAddScoped<PackageStore>();
        services.AddScoped<RecoveryStore>();
        services.AddScoped<RecoveryStepper>();
        services.AddScoped<RecoveryService>();
        services.AddSingleton<RecoveryLoop>();
        services.AddOptions<RolloutOptions>().Bind(configuration.GetSection(RolloutOptions.Section)).ValidateOnStart();
        services.AddOptions<PowerOptions>().Bind(configuration.GetSection(PowerOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RolloutOptions>, RolloutOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PowerOptions>, RolloutOptionsValidator>());
        services.AddScoped<RolloutStore>();
        services.AddScoped<RolloutStepper>();
        services.AddScoped<RolloutService>();
        services.AddSingleton<RolloutLoop>();
        if (runLoops)
        {
            services.AddHostedService(sp => sp.GetRequiredService<DeviceJobLoop>());
            services.AddHostedService(sp => sp.GetRequiredService<RecoveryLoop>());
            services.AddHostedService(sp => sp.GetRequiredService<RolloutLoop>());
        }
        return services;
    }
}
