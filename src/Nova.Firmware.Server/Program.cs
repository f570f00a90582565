using Nova.Firmware.Server.Admin;
using Nova.Firmware.Server.Hosting;

if (AdminCommands.IsAdminCommand(args))
{
    // admin backup / restore (docs/operations.md): run the command instead of the server.
    return await AdminCommands.RunAsync(args);
}

var builder = WebApplication.CreateBuilder(NovaHostingExtensions.BuilderOptions(args));
builder.AddNovaFirmware();

var app = builder.Build();
await app.PrepareDatabaseAsync();
app.MapNovaFirmware();
await app.RunAsync();
return 0;

/// <summary>Entry point; public so tests can host it with WebApplicationFactory.</summary>
public partial class Program;
