// The same route shape as Nova's DDI artifact download, serving one file (BARE_FILE) with
// Results.File and range processing, and nothing else: what ASP.NET Core and Kestrel cost per byte
// on this machine, so the difference to Nova is Nova's own work per download.
var file = Environment.GetEnvironmentVariable("BARE_FILE") ?? throw new InvalidOperationException("Set BARE_FILE.");
var builder = WebApplication.CreateBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
var app = builder.Build();

app.MapMethods("/{tenant}/controller/v1/{controllerId}/softwaremodules/{moduleId}/artifacts/{fileName}", ["GET", "HEAD"],
    (HttpRequest request) => request.Headers.Authorization.Count == 0
        ? Results.Unauthorized()
        : Results.File(file, "application/octet-stream", enableRangeProcessing: true));

await app.RunAsync();
