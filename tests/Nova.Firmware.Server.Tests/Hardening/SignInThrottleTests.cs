using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Nova.Firmware.Domain.Accounts;
using Nova.Firmware.Persistence;
using Nova.Firmware.Server.Auth;
using Nova.Firmware.Server.Tests.Infrastructure;

namespace Nova.Firmware.Server.Tests.Hardening;

/// <summary>Password guessing: throttled per user name and per address, equally for unknown names, on a bounded hashing pool.</summary>
public sealed class SignInThrottleTests
{
    private static readonly IPAddress Client = IPAddress.Parse("192.0.2.10");

    private static SignInThrottle Throttle(FakeTimeProvider time, int perUser = 3, int perAddress = 10) =>
        new(time, Options.Create(new SignInOptions { FreeFailuresPerUser = perUser, FreeFailuresPerAddress = perAddress, FirstDelay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(8) }));

    [Fact]
    public void RetryAfter_FreeFailuresUsed_WaitDoublesUpToMax()
    {
        var time = new FakeTimeProvider();
        var throttle = Throttle(time);
        for (var i = 0; i < 3; i++)
        {
            Assert.Null(throttle.RetryAfter("alice", Client));
            throttle.Failed("alice", Client);
        }

        Assert.Equal(TimeSpan.FromSeconds(1), throttle.RetryAfter("alice", Client));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(throttle.RetryAfter("alice", Client));
        throttle.Failed("alice", Client);
        Assert.Equal(TimeSpan.FromSeconds(2), throttle.RetryAfter("alice", Client));
        for (var i = 0; i < 5; i++)
        {
            throttle.Failed("alice", Client);
        }
        Assert.Equal(TimeSpan.FromSeconds(8), throttle.RetryAfter("alice", Client));
    }

    [Fact]
    public void RetryAfter_SuccessClearsUserButNotAddress()
    {
        var time = new FakeTimeProvider();
        var throttle = Throttle(time, perUser: 2, perAddress: 2);
        throttle.Failed("alice", Client);
        throttle.Failed("bob", Client);

        throttle.Succeeded("alice");

        Assert.NotNull(throttle.RetryAfter("carol", Client)); // the address used its free failures
        Assert.Null(throttle.RetryAfter("alice", IPAddress.Parse("192.0.2.99")));
    }

    [Fact]
    public void RetryAfter_WindowPassed_CountsReset()
    {
        var time = new FakeTimeProvider();
        var throttle = Throttle(time);
        for (var i = 0; i < 5; i++)
        {
            throttle.Failed("alice", Client);
        }

        time.Advance(new SignInOptions().Window);

        Assert.Null(throttle.RetryAfter("alice", Client));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task BasicSignIn_WrongPasswordFlood_ThrottledThenAllowedAfterWait(DatabaseProvider provider)
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await NovaServer.StartAsync(provider, services => services.AddSingleton<TimeProvider>(time),
            new Dictionary<string, string> { ["Nova:Engine:RunLoops"] = "false", ["Nova:SignIn:FreeFailuresPerUser"] = "3" });
        using var wrong = server.CreateBasicClient("admin", "wrong-password-123");
        using var right = server.CreateAdminClient();

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.GetAsync("/api/v1/devices")).StatusCode);
        }
        var throttled = await wrong.GetAsync("/api/v1/devices");
        var evenRight = await right.GetAsync("/api/v1/devices");

        await ProblemAssert.IsProblemAsync(throttled, (HttpStatusCode)429);
        Assert.Equal(TimeSpan.FromSeconds(1), throttled.Headers.RetryAfter?.Delta);
        Assert.Equal((HttpStatusCode)429, evenRight.StatusCode);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.OK, (await right.GetAsync("/api/v1/devices")).StatusCode);
    }

    [Fact]
    public async Task BasicSignIn_UnknownUser_ThrottledExactlyLikeKnownUser()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await NovaServer.StartAsync(configureServices: services => services.AddSingleton<TimeProvider>(time),
            settings: new Dictionary<string, string> { ["Nova:Engine:RunLoops"] = "false", ["Nova:SignIn:FreeFailuresPerUser"] = "2" });
        using var known = server.CreateBasicClient("admin", "wrong-password-123");
        using var unknown = server.CreateBasicClient("nobody-at-all", "wrong-password-123");

        var knownAnswers = new List<HttpStatusCode>();
        var unknownAnswers = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            knownAnswers.Add((await known.GetAsync("/api/v1/devices")).StatusCode);
            unknownAnswers.Add((await unknown.GetAsync("/api/v1/devices")).StatusCode);
        }

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, (HttpStatusCode)429], knownAnswers);
        Assert.Equal(knownAnswers, unknownAnswers);
    }

    [Fact]
    public async Task VerifyAsync_PoolAndQueueFull_RefusesAtOnce()
    {
        var verifier = new PasswordVerifier(TimeProvider.System, Options.Create(new SignInOptions { HashingConcurrency = 1, HashingQueue = 0 }));
        var user = new User { Id = Guid.NewGuid(), UserName = "u", PasswordHash = "", Role = UserRole.Viewer };
        user.PasswordHash = verifier.Hash(user, "correct-horse-battery");

        var first = verifier.VerifyAsync(user, "wrong-password-1", CancellationToken.None);
        var second = verifier.VerifyAsync(user, "wrong-password-2", CancellationToken.None);

        await Assert.ThrowsAsync<PasswordCheckBusyException>(() => second);
        Assert.False(await first);
        Assert.True(await verifier.VerifyAsync(user, "correct-horse-battery", CancellationToken.None)); // the slot is free again
    }

    [Fact]
    public async Task VerifyAsync_UnknownUser_ChecksADummyHashAndFails()
    {
        var verifier = new PasswordVerifier(TimeProvider.System, Options.Create(new SignInOptions()));

        Assert.False(await verifier.VerifyAsync(null, "any-password-at-all", CancellationToken.None));
    }

    [Theory]
    [InlineData("short")]
    [InlineData("tab\tin-the-password")]
    public async Task Start_AdminPasswordBreaksPasswordRule_FailsNamingSetting(string password)
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => NovaServer.StartAsync(settings: new Dictionary<string, string> { ["Nova:AdminPassword"] = password }));

        Assert.Contains("Nova:AdminPassword", error.ToString(), StringComparison.Ordinal);
    }
}
