using System.Text.Json.Serialization;
using Nova.Firmware.Simulator.Control;
using Nova.Firmware.Simulator.Faces.Onvif;
using Nova.Firmware.Simulator.Faces.Technician;

namespace Nova.Firmware.Simulator;

/// <summary>The simulator's one HTTP listener: control API, technician actions, ONVIF and vendor API.</summary>
public static class SimulatorApp
{
    public static WebApplication Build(WebApplicationBuilder builder, Func<IServiceProvider, Simulation> simulation)
    {
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull);
        builder.Services.AddProblemDetails();
        builder.Services.AddSingleton(simulation);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<DigestAuthenticator>();
        builder.Services.AddSingleton<FirmwareUploads>();
        builder.Services.AddHostedService<SimulatorHost>();
        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapControlEndpoints();
        app.MapTechnicianEndpoints();
        app.MapOnvifEndpoints();
        app.MapVendorExtensionEndpoints();
        return app;
    }

    /// <summary>Hosts an existing simulation on a free 127.0.0.1 port (library use from tests).</summary>
    public static async Task<WebApplication> StartAsync(Simulation simulation, int discoveryPort = -1)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration["Simulator:DiscoveryPort"] = discoveryPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var app = Build(builder, _ => simulation);
        await app.StartAsync();
        return app;
    }
}
