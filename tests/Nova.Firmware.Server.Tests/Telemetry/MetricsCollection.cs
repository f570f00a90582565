namespace Nova.Firmware.Server.Tests.Telemetry;

/// <summary>
/// Tests that read counters of the product's meter. OpenTelemetry listens to a meter by name in
/// the whole process, so another test's server stepping jobs at the same time would add to the
/// counts read here: these tests run on their own, after the parallel ones.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MetricsCollection
{
    public const string Name = "Product metrics";
}
