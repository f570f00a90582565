using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Nova.Firmware.Engine.Jobs;
using Nova.Firmware.Engine.Recovery;

namespace Nova.Firmware.Engine.Tests.Recovery;

/// <summary>"Nova:Recovery" as the host binds it: a wait that would make a rung never end or spin stops the server at start.</summary>
public sealed class RecoveryOptionsTests
{
    private static (RecoveryOptions? Options, OptionsValidationException? Failure) Bind(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build();
        using var services = new ServiceCollection().AddUpdateEngine(configuration, runLoops: false).BuildServiceProvider();
        try
        {
            return (services.GetRequiredService<IOptions<RecoveryOptions>>().Value, null);
        }
        catch (OptionsValidationException e)
        {
            return (null, e);
        }
    }

    [Fact]
    public void Defaults_FollowTheSeedArticleAndPass()
    {
        var (options, failure) = Bind();

        Assert.Null(failure);
        Assert.Equal(TimeSpan.FromMinutes(10), options!.SelfRecoveryWait);
        Assert.Null(options.TftpServer);
        Assert.False(options.ReattemptIntended);
    }

    [Fact]
    public void Models_BoundFromConfiguration_OverrideTheWaitForThatModelOnlyIgnoringCase()
    {
        var (options, failure) = Bind(("Nova:Recovery:Models:GW-200:SelfRecoveryWait", "00:03:00"), ("Nova:Recovery:Models:GW-200:RecoveryButton", "Hold PAIR"));

        Assert.Null(failure);
        Assert.Equal(TimeSpan.FromMinutes(3), options!.SelfRecoveryWaitFor("gw-200"));
        Assert.Equal(TimeSpan.FromMinutes(10), options.SelfRecoveryWaitFor("C200"));
        Assert.Equal("Hold PAIR", options.ProfileFor("GW-200").RecoveryButton);
        Assert.Null(options.ProfileFor("C200").RecoveryButton);
    }

    [Theory]
    [InlineData("Nova:Recovery:SelfRecoveryWait", "00:00:00")]
    [InlineData("Nova:Recovery:RecoveryBootWait", "-00:01:00")]
    [InlineData("Nova:Recovery:ReflashWait", "00:00:00")]
    [InlineData("Nova:Recovery:VerifyWait", "00:00:00")]
    [InlineData("Nova:Recovery:CleanUpWait", "00:00:00")]
    [InlineData("Nova:Recovery:RecheckInterval", "00:00:00")]
    [InlineData("Nova:Recovery:TickInterval", "00:00:00")]
    [InlineData("Nova:Recovery:LeaseDuration", "00:00:00")]
    [InlineData("Nova:Recovery:BatchSize", "0")]
    [InlineData("Nova:Recovery:Models:C200:SelfRecoveryWait", "-00:05:00")]
    public void Validate_OneNonsenseValue_FailsNamingIt(string key, string value)
    {
        var (_, failure) = Bind((key, value));

        Assert.NotNull(failure);
        Assert.Contains(failure.Failures, f => f.Contains(key, StringComparison.Ordinal));
    }
}
