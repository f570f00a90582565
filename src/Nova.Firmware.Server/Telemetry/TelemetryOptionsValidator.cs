using Microsoft.Extensions.Options;

namespace Nova.Firmware.Server.Telemetry;

/// <summary>Checks "Nova:Telemetry" at start, every bad setting named at once.</summary>
public sealed class TelemetryOptionsValidator : IValidateOptions<TelemetryOptions>
{
    public ValidateOptionsResult Validate(string? name, TelemetryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        var s = TelemetryOptions.Section;
        if (string.IsNullOrWhiteSpace(options.ServiceName))
        {
            failures.Add($"{s}:ServiceName must not be empty.");
        }
        if (options.Metrics.PrometheusPath is { Length: > 0 } path && (!path.StartsWith('/') || path.Contains('?', StringComparison.Ordinal)))
        {
            failures.Add($"{s}:Metrics:PrometheusPath '{path}' must be a path starting with '/' (or empty for no scrape endpoint).");
        }
        if (options.Otlp.Protocol is not ("grpc" or "http/protobuf"))
        {
            failures.Add($"{s}:Otlp:Protocol '{options.Otlp.Protocol}' must be grpc or http/protobuf.");
        }
        if (options.Otlp.Endpoint is { } endpoint && endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps)
        {
            failures.Add($"{s}:Otlp:Endpoint '{endpoint}' must be an http:// or https:// URL.");
        }
        if (options.Traces.Enabled && options.Otlp.ResolvedEndpoint is null)
        {
            failures.Add($"{s}:Traces:Enabled needs an OTLP endpoint: set {s}:Otlp:Endpoint (or OTEL_EXPORTER_OTLP_ENDPOINT).");
        }
        if (options.Traces.SampleRatio is < 0 or > 1 || double.IsNaN(options.Traces.SampleRatio))
        {
            failures.Add($"{s}:Traces:SampleRatio {options.Traces.SampleRatio} must be between 0 and 1.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
