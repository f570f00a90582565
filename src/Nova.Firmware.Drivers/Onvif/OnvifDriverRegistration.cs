using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Nova.Firmware.Domain.Drivers;

namespace Nova.Firmware.Drivers.Onvif;

public static class OnvifDriverRegistration
{
    /// <summary>
    /// Registers the ONVIF camera driver ("Nova:Onvif" options, validated at start). The host
    /// supplies <see cref="IDeviceCredentialStore"/>; the engine finds the driver by its protocol.
    /// </summary>
    public static IServiceCollection AddOnvifDriver(this IServiceCollection services, Microsoft.Extensions.Configuration.IConfiguration configuration)
    {
        services.AddOptions<OnvifDriverOptions>().Bind(configuration.GetSection(OnvifDriverOptions.Section))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<OnvifDriverOptions>, OnvifOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<OnvifClients>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDeviceDriver, OnvifDriver>());
        return services;
    }

    private sealed class OnvifOptionsValidator : IValidateOptions<OnvifDriverOptions>
    {
        public ValidateOptionsResult Validate(string? name, OnvifDriverOptions options)
        {
            var problems = options.Problems().ToList();
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}
