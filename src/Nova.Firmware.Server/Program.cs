using Nova.Firmware.Server.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddNovaFirmware();

var app = builder.Build();
await app.PrepareDatabaseAsync();
app.MapNovaFirmware();
await app.RunAsync();

/// <summary>Entry point; public so tests can host it with WebApplicationFactory.</summary>
public partial class Program;
