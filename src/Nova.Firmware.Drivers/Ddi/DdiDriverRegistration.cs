using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Nova.Firmware.Domain.Drivers;

namespace Nova.Firmware.Drivers.Ddi;

public static class DdiDriverRegistration
{
    /// <summary>Registers the hawkBit DDI driver; the engine finds it by its protocol.</summary>
    public static IServiceCollection AddDdiDriver(this IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDeviceDriver, DdiDriver>());
        return services;
    }
}
