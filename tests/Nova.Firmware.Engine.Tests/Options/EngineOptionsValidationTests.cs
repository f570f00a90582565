using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Nova.Firmware.Engine.Jobs;
using Nova.Firmware.Engine.Options;

namespace Nova.Firmware.Engine.Tests.Options;

/// <summary>Nonsense in "Nova:Engine" stops the server at start with every bad setting named, instead of wedging jobs later.</summary>
public sealed class EngineOptionsValidationTests
{
    private static OptionsValidationException? Validate(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build();
        using var services = new ServiceCollection().AddUpdateEngine(configuration, runLoops: false).BuildServiceProvider();
        try
        {
            _ = services.GetRequiredService<IOptions<EngineOptions>>().Value;
            return null;
        }
        catch (OptionsValidationException e)
        {
            return e;
        }
    }

    [Fact]
    public void Validate_Defaults_Pass() => Assert.Null(Validate());

    [Fact]
    public void Validate_LeaseZeroAndNegativeMargin_FailsNamingBothSettings()
    {
        var failure = Validate(("Nova:Engine:LeaseDuration", "00:00:00"), ("Nova:Engine:Preflight:SpaceMarginBytes", "-1"));

        Assert.NotNull(failure);
        Assert.Contains(failure.Failures, f => f.Contains("Nova:Engine:LeaseDuration"));
        Assert.Contains(failure.Failures, f => f.Contains("Nova:Engine:Preflight:SpaceMarginBytes"));
    }

    [Theory]
    [InlineData("Nova:Engine:BatchSize", "0")]
    [InlineData("Nova:Engine:MaxConcurrentSteps", "0")]
    [InlineData("Nova:Engine:MaxTransferAttempts", "0")]
    [InlineData("Nova:Engine:RecheckInterval", "-00:00:01")]
    [InlineData("Nova:Engine:TickInterval", "00:00:00")]
    [InlineData("Nova:Engine:MaxWait", "00:00:00")]
    [InlineData("Nova:Engine:LeaseDuration", "00:00:01")]
    [InlineData("Nova:Engine:Deadlines:Health", "00:00:00")]
    [InlineData("Nova:Engine:ModelDeadlines:C200:Transfer", "-00:05:00")]
    [InlineData("Nova:Engine:Preflight:SpaceMarginFraction", "-0.5")]
    [InlineData("Nova:Engine:Preflight:ReachabilityWindow", "00:00:00")]
    [InlineData("Nova:Engine:Preflight:WaitRecheckInterval", "00:00:00")]
    public void Validate_OneNonsenseValue_FailsNamingIt(string key, string value)
    {
        var failure = Validate((key, value));

        Assert.NotNull(failure);
        Assert.Contains(failure.Failures, f => f.Contains(key, StringComparison.Ordinal));
    }
}
