using Nova.Firmware.Simulator;
using Nova.Firmware.Simulator.Fleet;

var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args });
builder.Configuration.AddCommandLine(args, CommandLine.SwitchMappings);
FleetDefinition fleet;
try
{
    fleet = CommandLine.BuildFleet(builder.Configuration);
}
catch (Exception ex) when (ex is FleetFileException or FormatException or IOException or ArgumentException or UriFormatException)
{
    await Console.Error.WriteLineAsync($"nova-simulator: {ex.Message}");
    return 2;
}
var app = SimulatorApp.Build(builder, _ => SimulatorHost.CreateSimulation(fleet));
await app.RunAsync();
return 0;
