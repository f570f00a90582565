namespace Nova.Firmware.Server.Telemetry;

/// <summary>
/// The "Nova:Telemetry" section: metrics (Prometheus scrape endpoint on by default, OTLP when an
/// endpoint is set) and traces (OTLP, off by default). See docs/operations.md.
/// </summary>
public sealed class TelemetryOptions
{
    public const string Section = "Nova:Telemetry";

    /// <summary>The <c>service.name</c> resource attribute on everything exported.</summary>
    public string ServiceName { get; set; } = "nova-firmware";

    public MetricsSettings Metrics { get; set; } = new();

    public TracesSettings Traces { get; set; } = new();

    public OtlpSettings Otlp { get; set; } = new();

    public sealed class MetricsSettings
    {
        /// <summary>Off: no instrument is listened to, nothing exported, no scrape endpoint.</summary>
        public bool Enabled { get; set; } = true;

        /// <summary>Where Prometheus scrapes; empty for no scrape endpoint (OTLP only).</summary>
        public string? PrometheusPath { get; set; } = "/metrics";

        /// <summary>Scraping needs a viewer's credentials (an API key as a bearer token) instead of none.</summary>
        public bool RequireAuthorization { get; set; }

        /// <summary>ASP.NET Core's own HTTP server metrics (<c>http.server.request.duration</c>, Kestrel connections).</summary>
        public bool AspNetCore { get; set; } = true;
    }

    public sealed class TracesSettings
    {
        /// <summary>Spans of engine steps and HTTP requests, sent over OTLP; needs an OTLP endpoint.</summary>
        public bool Enabled { get; set; }

        /// <summary>Fraction of traces kept, 0 to 1 (parent-based: a sampled caller's trace is kept).</summary>
        public double SampleRatio { get; set; } = 1.0;
    }

    public sealed class OtlpSettings
    {
        /// <summary>The collector, e.g. http://otel-collector:4317. Unset: the standard OTEL_EXPORTER_OTLP_ENDPOINT, if any.</summary>
        public Uri? Endpoint { get; set; }

        /// <summary><c>grpc</c> (port 4317) or <c>http/protobuf</c> (port 4318).</summary>
        public string Protocol { get; set; } = "grpc";

        /// <summary>The endpoint this process sends to: ours, else the standard environment variable.</summary>
        public Uri? ResolvedEndpoint =>
            Endpoint ?? (Uri.TryCreate(Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT"), UriKind.Absolute, out var e) ? e : null);
    }
}
