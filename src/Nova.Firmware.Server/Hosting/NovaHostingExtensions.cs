using Nova.Firmware.Drivers.Ddi;
using Nova.Firmware.Drivers.Onvif;
using Microsoft.Extensions.Options;
using Nova.Firmware.Engine.Health;
using Nova.Firmware.Engine.Jobs;
using Nova.Firmware.Persistence;
using Nova.Firmware.Server.Ddi;
using Nova.Firmware.Server.Packages;
using Nova.Firmware.Server.Auditing;
using Nova.Firmware.Server.Auth;
using Nova.Firmware.Server.WebConsole;
using Nova.Firmware.Server.Credentials;
using Nova.Firmware.Server.Endpoints;
using Nova.Firmware.Server.Endpoints.Management.Discovery;
using Nova.Firmware.Server.Hardening;
using Nova.Firmware.Server.Rma;
using Nova.Firmware.Server.Telemetry;
using Nova.Firmware.Server.Tftp;

namespace Nova.Firmware.Server.Hosting;

/// <summary>Everything Program.cs wires up, in one place a newcomer can read top to bottom.</summary>
public static class NovaHostingExtensions
{
    /// <summary>
    /// The builder's options: the server's arguments, with appsettings*.json read once at start
    /// instead of watched. ASP.NET Core watches them with a recursive inotify watch of the content
    /// root (the working directory): when the data directory lies under it (the <c>./data</c>
    /// fallback), every database write woke the watcher's thread, 4-5 % of a DDI poll's profile; and
    /// started from a large tree, it can run out of the user's inotify watches. Nothing here reloads
    /// on a change: a new setting takes a restart, as for the environment variables.
    /// </summary>
    public static WebApplicationOptions BuilderOptions(string[] args) =>
        new() { Args = [.. args, "--hostBuilder:reloadConfigOnChange=false"] };

    public static WebApplicationBuilder AddNovaFirmware(this WebApplicationBuilder builder)
    {
        builder.AddNovaLogging();
        var services = builder.Services;
        var options = builder.Configuration.GetSection(NovaOptions.Section).Get<NovaOptions>() ?? new NovaOptions();
        services.AddOptions<NovaOptions>().Bind(builder.Configuration.GetSection(NovaOptions.Section)).ValidateDataAnnotations().ValidateOnStart();

        var dataDirectory = options.ResolvedDataDirectory;
        Directory.CreateDirectory(dataDirectory);
        var connectionString = options.Database.Provider switch
        {
            DatabaseProvider.Sqlite => options.Database.ConnectionString ?? PersistenceServiceCollectionExtensions.SqliteConnectionString(dataDirectory),
            DatabaseProvider.Postgres => options.Database.ConnectionString
                ?? throw new InvalidOperationException("Nova:Database:ConnectionString is required when Nova:Database:Provider is postgres."),
            _ => throw new InvalidOperationException($"Unknown database provider {options.Database.Provider}."),
        };
        services.AddFirmwarePersistence(options.Database.Provider, connectionString);
        services.AddSingleton(new DataDirectory(dataDirectory));
        services.AddSingleton(TimeProvider.System);
        services.AddMemoryCache();
        // Kestrel's pool factory with larger blocks: registered after Kestrel's own, so this one is
        // what the transport resolves (LargeBlockMemoryPoolTests builds the server as Program.cs does).
        services.AddSingleton<Microsoft.AspNetCore.Connections.IMemoryPoolFactory<byte>, LargeBlockMemoryPoolFactory>();

        services.AddProblemDetails();
        services.AddOpenApi();
        services.AddHealthChecks();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.KebabCaseLower)));

        // Basic and Bearer for the API, and the web console's sign-in cookie (Console/ConsoleAuthentication.cs).
        services.AddNovaCredentials();
        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Viewer, p => p.RequireRole(Policies.Viewer))
            .AddPolicy(Policies.Operator, p => p.RequireRole(Policies.Operator))
            .AddPolicy(Policies.Admin, p => p.RequireRole(Policies.Admin));
        // One hasher for stored and dummy hashes (PasswordVerifier), so unknown users cost what known ones do.
        services.AddSingleton<Microsoft.AspNetCore.Identity.IPasswordHasher<Domain.Accounts.User>, Microsoft.AspNetCore.Identity.PasswordHasher<Domain.Accounts.User>>();
        services.AddSingleton<PasswordVerifier>();
        services.AddScoped<PasswordSignIn>();
        services.AddNovaHardening(builder.Configuration);

        services.AddSingleton<IPackageBlobs, PackageBlobIntegrity>();
        services.AddUpdateEngine(builder.Configuration, runLoops: builder.Configuration.GetValue("Nova:Engine:RunLoops", true));
        services.AddDdiDriver();
        services.AddOnvifDriver(builder.Configuration);
        services.AddOptions<DdiOptions>().Bind(builder.Configuration.GetSection(DdiOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DdiOptions>, DdiOptionsValidator>();
        services.AddDeviceHealthSweep(builder.Configuration, runLoop: builder.Configuration.GetValue("Nova:Engine:RunLoops", true));
        // A DDI device's allowance is counted in the polls it is told to make, so it follows that setting.
        // The allowance follows the poll interval devices are told. Read from the bound section, not
        // IOptions<DdiOptions>: that would validate the DDI settings a second time and hide the health ones.
        services.AddOptions<DeviceHealthOptions>().PostConfigure(health =>
            health.DdiPollInterval = builder.Configuration.GetSection(DdiOptions.Section).Get<DdiOptions>()?.PollSleep ?? new DdiOptions().PollSleep);
        services.AddSingleton<LastSeenTracker>();
        services.AddSingleton<LastSeenFlusher>();
        services.AddHostedService(sp => sp.GetRequiredService<LastSeenFlusher>());
        services.AddSingleton<DdiDeviceAuthenticator>();
        services.AddSingleton<DdiActionLookup>();
        services.AddScoped<AccountBootstrapper>();
        services.AddScoped<Endpoints.Management.Rollouts.RolloutProgressReader>();
        services.AddPackageCatalog(builder.Configuration);
        services.AddTftpRescueServer(builder.Configuration);
        services.AddCameraCredentials(builder.Configuration, dataDirectory);
        services.AddOnvifDiscovery(builder.Configuration);
        services.AddSingleton(_ => Articles.ArticleLibrary.LoadEmbedded());
        services.AddRmaBundles(builder.Configuration);
        services.AddNovaTelemetry(builder.Configuration);
        builder.AddNovaConsole();
        return builder;
    }

    public static async Task PrepareDatabaseAsync(this WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FirmwareDbContext>();
        await DatabaseMigrator.MigrateAsync(db, app.Lifetime.ApplicationStopping);
        await scope.ServiceProvider.GetRequiredService<AccountBootstrapper>().EnsureAdminAsync(app.Lifetime.ApplicationStopping);
        // Read the signature trust file now, as the documentation promises, not at the first import.
        _ = app.Services.GetRequiredService<Packages.PackageSignatures>();
    }

    public static WebApplication MapNovaFirmware(this WebApplication app)
    {
        app.UseNovaHardening();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        // For every request: on the main pipeline, or WebApplication would add it again at the front.
        // A device's TargetToken/GatewayToken header costs the API's handler one look at the scheme.
        app.UseAuthentication();
        // Between the two: it knows the caller, and it sees the 401/403 that authorization answers.
        app.UseMiddleware<AuditMiddleware>();
        // After the audit, so a refused cross-site request is on record with its caller.
        app.UseMiddleware<CrossSiteRequestGuard>();
        app.UseAuthorization();
        // Console forms (sign-in, sign-out). API endpoints bind no forms, so none of them is affected.
        app.UseAntiforgery();

        app.MapHealthChecks("/healthz");
        app.MapNovaMetrics();
        app.MapOpenApi();
        app.UseSwaggerUI(o =>
        {
            o.SwaggerEndpoint("/openapi/v1.json", "Nova Firmware API v1");
            o.RoutePrefix = "api";
            o.DocumentTitle = "Nova Firmware API";
        });

        var api = app.MapGroup("/api/v1").RequireAuthorization(Policies.Viewer);
        api.MapManagementEndpoints();
        app.MapDeviceFacingEndpoints();
        app.MapPublicPages();
        app.MapNovaConsole();
        return app;
    }
}
