using System.Net;
using Nova.Firmware.Server.Tests.Infrastructure;

namespace Nova.Firmware.Server.Tests.Telemetry;

public sealed class MetricsSettingsTests
{
    [Fact]
    public async Task Metrics_TurnedOff_NoScrapeEndpoint()
    {
        await using var server = await NovaServer.StartAsync(settings: new Dictionary<string, string> { ["Nova:Telemetry:Metrics:Enabled"] = "false" });

        Assert.Equal(HttpStatusCode.NotFound, (await server.CreateClient().GetAsync("/metrics")).StatusCode);
    }

    [Fact]
    public async Task Metrics_RequireAuthorization_AnonymousRefusedViewerServed()
    {
        await using var server = await NovaServer.StartAsync(settings: new Dictionary<string, string> { ["Nova:Telemetry:Metrics:RequireAuthorization"] = "true" });

        Assert.Equal(HttpStatusCode.Unauthorized, (await server.CreateClient().GetAsync("/metrics")).StatusCode);
        var (viewer, _) = await server.CreateUserClientAsync("viewer");
        var response = await viewer.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("target_info", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_OtherPath_ServedThereOnly()
    {
        await using var server = await NovaServer.StartAsync(settings: new Dictionary<string, string> { ["Nova:Telemetry:Metrics:PrometheusPath"] = "/internal/metrics" });
        var client = server.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/internal/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/metrics")).StatusCode);
    }

    [Theory]
    [InlineData("Nova:Telemetry:Traces:Enabled", "true", "Nova:Telemetry:Traces:Enabled")]
    [InlineData("Nova:Telemetry:Metrics:PrometheusPath", "metrics", "Nova:Telemetry:Metrics:PrometheusPath")]
    [InlineData("Nova:Telemetry:Otlp:Protocol", "udp", "Nova:Telemetry:Otlp:Protocol")]
    [InlineData("Nova:Telemetry:Traces:SampleRatio", "2", "Nova:Telemetry:Traces:SampleRatio")]
    public async Task Start_NonsenseTelemetrySetting_FailsNamingIt(string key, string value, string named)
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => NovaServer.StartAsync(settings: new Dictionary<string, string> { [key] = value }));

        Assert.Contains(StartupFailures.Of(error), f => f.Contains(named, StringComparison.Ordinal));
    }
}
