using System.Reflection;
using Microsoft.Extensions.Options;
using Nova.Firmware.Engine.Telemetry;
using Nova.Firmware.Server.Auth;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Nova.Firmware.Server.Telemetry;

public static class TelemetryServiceCollectionExtensions
{
    /// <summary>
    /// The product's meters exported through OpenTelemetry (Prometheus scrape endpoint, OTLP when an
    /// endpoint is set) and its spans over OTLP when traces are on. With metrics off the instruments
    /// still exist but nobody listens, so recording them costs a flag check.
    /// </summary>
    public static IServiceCollection AddNovaTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TelemetryOptions>().Bind(configuration.GetSection(TelemetryOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TelemetryOptions>, TelemetryOptionsValidator>();
        services.AddSingleton<DeviceApiMetrics>();

        // Read now: which exporters exist is decided once, at start (bad values fail validation above).
        var options = new TelemetryOptions();
        try
        {
            configuration.GetSection(TelemetryOptions.Section).Bind(options);
        }
        catch (InvalidOperationException)
        {
            return services; // unparsable: ValidateOnStart reports it
        }
        var otlp = options.Otlp.ResolvedEndpoint;
        if (!options.Metrics.Enabled && !(options.Traces.Enabled && otlp is not null))
        {
            return services;
        }
        var version = typeof(TelemetryServiceCollectionExtensions).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        var telemetry = services.AddOpenTelemetry().ConfigureResource(r => r.AddService(options.ServiceName, serviceVersion: version,
            serviceInstanceId: configuration["Nova:Engine:ReplicaId"]));
        if (options.Metrics.Enabled)
        {
            telemetry.WithMetrics(metrics =>
            {
                metrics.AddMeter(NovaTelemetry.Name, "System.Runtime");
                if (options.Metrics.AspNetCore)
                {
                    metrics.AddAspNetCoreInstrumentation();
                }
                if (!string.IsNullOrEmpty(options.Metrics.PrometheusPath))
                {
                    // No response cache: each scrape shows what happened up to that moment.
                    metrics.AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0);
                }
                if (otlp is not null)
                {
                    metrics.AddOtlpExporter(o => Configure(o, options.Otlp, otlp, "v1/metrics"));
                }
            });
        }
        if (options.Traces.Enabled && otlp is not null)
        {
            telemetry.WithTracing(tracing => tracing
                .SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(options.Traces.SampleRatio)))
                .AddSource(NovaTelemetry.Name)
                .AddAspNetCoreInstrumentation(o => o.Filter = context => !IsScrapeOrProbe(context.Request.Path, options))
                .AddOtlpExporter(o => Configure(o, options.Otlp, otlp, "v1/traces")));
        }
        return services;
    }

    /// <summary>The Prometheus scrape endpoint, when metrics and the endpoint are on.</summary>
    public static IEndpointRouteBuilder MapNovaMetrics(this IEndpointRouteBuilder app)
    {
        var options = app.ServiceProvider.GetRequiredService<IOptions<TelemetryOptions>>().Value;
        if (options.Metrics.Enabled && options.Metrics.PrometheusPath is { Length: > 0 } path)
        {
            var endpoint = app.MapPrometheusScrapingEndpoint(path);
            // Said either way, so a fallback policy added for the API does not silently lock Prometheus out.
            if (options.Metrics.RequireAuthorization)
            {
                endpoint.RequireAuthorization(Policies.Viewer);
            }
            else
            {
                endpoint.AllowAnonymous();
            }
        }
        return app;
    }

    /// <summary>
    /// Our endpoint setting is the collector's base URL, like OTEL_EXPORTER_OTLP_ENDPOINT: over
    /// http/protobuf each signal goes to its own path under it (set in code, the exporter takes the
    /// URL as it is). Left unset, the exporter reads the standard variables itself.
    /// </summary>
    private static void Configure(OtlpExporterOptions o, TelemetryOptions.OtlpSettings settings, Uri endpoint, string signalPath)
    {
        var http = settings.Protocol == "http/protobuf";
        o.Protocol = http ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
        if (settings.Endpoint is not null)
        {
            o.Endpoint = http ? new Uri(endpoint.AbsoluteUri.TrimEnd('/') + "/" + signalPath) : endpoint;
        }
    }

    private static bool IsScrapeOrProbe(PathString path, TelemetryOptions options) =>
        path.StartsWithSegments("/healthz") || (options.Metrics.PrometheusPath is { Length: > 0 } p && path.StartsWithSegments(p));
}
