using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Nova.Firmware.Engine.Jobs;
using Nova.Firmware.Engine.Options;

namespace Nova.Firmware.Engine.Tests.Options;

/// <summary>Step deadlines as an operator writes them in configuration: global values plus per-model overrides.</summary>
public sealed class EngineOptionsTests
{
    private static EngineOptions Bind(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build();
        using var services = new ServiceCollection().AddUpdateEngine(configuration, runLoops: false).BuildServiceProvider();
        return services.GetRequiredService<IOptions<EngineOptions>>().Value;
    }

    [Fact]
    public void DeadlinesFor_ModelWithoutOverride_GetsTheGlobalDeadlines()
    {
        var options = Bind(("Nova:Engine:Deadlines:Transfer", "00:45:00"));

        Assert.Equal(TimeSpan.FromMinutes(45), options.DeadlinesFor("C200").Transfer);
        Assert.Equal(TimeSpan.FromMinutes(2), options.DeadlinesFor("C200").Health);
    }

    [Fact]
    public void DeadlinesFor_ModelOverrideInOtherCase_AppliesToThatModelOnly()
    {
        var options = Bind(("Nova:Engine:ModelDeadlines:gw-200:Transfer", "00:05:00"));

        Assert.Equal(TimeSpan.FromMinutes(5), options.DeadlinesFor("GW-200").Transfer);
        Assert.Equal(TimeSpan.FromMinutes(30), options.DeadlinesFor("C200").Transfer);
    }

    [Fact]
    public void DeadlinesFor_OverrideOfOneStep_KeepsTheConfiguredGlobalValuesForTheOthers()
    {
        var options = Bind(
            ("Nova:Engine:Deadlines:Health", "00:10:00"),
            ("Nova:Engine:Deadlines:Reboot", "00:20:00"),
            ("Nova:Engine:ModelDeadlines:GW-200:Transfer", "00:05:00"));

        var gateway = options.DeadlinesFor("GW-200");

        Assert.Equal(TimeSpan.FromMinutes(5), gateway.Transfer);
        Assert.Equal(TimeSpan.FromMinutes(10), gateway.Health);
        Assert.Equal(TimeSpan.FromMinutes(20), gateway.Reboot);
        Assert.Equal(TimeSpan.FromMinutes(15), gateway.Flash);
    }
}
