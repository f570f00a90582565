using System.Net;
using Microsoft.Extensions.Time.Testing;
using Nova.Firmware.Protocols.Onvif;
using Nova.Firmware.Protocols.Tests.Onvif.Infrastructure;

namespace Nova.Firmware.Protocols.Tests.Onvif;

/// <summary>Authentication round trips against a scripted camera: challenge caching, stale nonces, modes, refusals.</summary>
public sealed class OnvifClientAuthTests
{
    private static readonly OnvifCredentials Admin = new("admin", "admin");

    private static OnvifClient Client(StubCamera camera, OnvifAuthMode mode = OnvifAuthMode.Auto, TimeProvider? time = null) =>
        new(camera, StubCamera.DeviceService, Admin, time, new OnvifClientOptions { AuthMode = mode, RetryDelay = TimeSpan.Zero });

    [Fact]
    public async Task GetDeviceInformation_DigestChallengedOnce_LaterCallsAuthenticateUpFrontWithRisingNc()
    {
        using var camera = new StubCamera(r => r.Authorization is null ? StubCamera.Challenge() : StubCamera.Soap(StubCamera.DeviceInformation));
        using var client = Client(camera, OnvifAuthMode.Digest);

        await client.GetDeviceInformationAsync();
        await client.GetDeviceInformationAsync();
        await client.GetDeviceInformationAsync();

        var requests = camera.Requests;
        Assert.Equal(4, requests.Count);
        Assert.Null(requests[0].Authorization);
        Assert.Equal(["00000001", "00000002", "00000003"], requests.Skip(1).Select(r => r.DigestField("nc")));
        Assert.All(requests.Skip(1), r => Assert.Equal("/onvif/device_service", r.DigestField("uri")));
    }

    [Fact]
    public async Task GetDeviceInformation_CachedNonceGoesStale_ReChallengesAndSucceeds()
    {
        using var camera = new StubCamera(r => r.DigestField("nonce") switch
        {
            null => StubCamera.Challenge("n1"),
            "n1" when r.DigestField("nc") == "00000002" => StubCamera.Challenge("n2", stale: true),
            _ => StubCamera.Soap(StubCamera.DeviceInformation),
        });
        using var client = Client(camera, OnvifAuthMode.Digest);

        await client.GetDeviceInformationAsync();
        var info = await client.GetDeviceInformationAsync();

        Assert.Equal("1.0.0", info.FirmwareVersion);
        Assert.Equal(["", "n1", "n1", "n2"], camera.Requests.Select(r => r.DigestField("nonce") ?? ""));
        Assert.Equal("00000001", camera.Requests[^1].DigestField("nc"));
    }

    [Fact]
    public async Task GetDeviceInformation_CachedNonceExpiredWithoutStaleFlag_AnswersTheFreshChallengeOnce()
    {
        // Cameras often forget stale=true: a refused *cached* nonce is not yet proof of a wrong password.
        using var camera = new StubCamera(r => r.DigestField("nonce") switch
        {
            null => StubCamera.Challenge("n1"),
            "n1" when r.DigestField("nc") == "00000002" => StubCamera.Challenge("n2"),
            _ => StubCamera.Soap(StubCamera.DeviceInformation),
        });
        using var client = Client(camera, OnvifAuthMode.Digest);

        await client.GetDeviceInformationAsync();
        await client.GetDeviceInformationAsync();

        Assert.Equal(4, camera.Requests.Count);
    }

    [Theory]
    [InlineData(OnvifAuthMode.Digest)]
    [InlineData(OnvifAuthMode.Auto)]
    public async Task GetDeviceInformation_DigestAlwaysRefused_AuthenticationFailedWithoutLooping(OnvifAuthMode mode)
    {
        using var camera = new StubCamera(_ => StubCamera.Challenge());
        using var client = Client(camera, mode);

        var error = await Assert.ThrowsAsync<OnvifAuthenticationException>(() => client.GetDeviceInformationAsync());

        Assert.Equal(OnvifErrorKind.AuthenticationFailed, error.Kind);
        Assert.Equal(OnvifAuthMode.Digest, error.Attempted);
        Assert.Equal(401, error.HttpStatus);
        Assert.Equal(2, camera.Requests.Count);
    }

    [Fact]
    public async Task GetDeviceInformation_AutoAndCameraWantsUsernameToken_FallsBackOnceWithSkewCorrectedCreated()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        using var camera = new StubCamera(r =>
            r.Operation == "GetSystemDateAndTime" ? StubCamera.Soap(ClockAnswer(2026, 1, 1, 0, 5, 0))
            : r.HasUsernameToken ? StubCamera.Soap(StubCamera.DeviceInformation)
            : StubCamera.Fault("Sender", "NotAuthorized", "Sender not Authorized"));
        using var client = Client(camera, OnvifAuthMode.Auto, time);

        await client.GetDeviceInformationAsync();
        await client.GetDeviceInformationAsync();

        var requests = camera.Requests;
        Assert.Equal(["GetDeviceInformation-plain", "GetSystemDateAndTime", "GetDeviceInformation-token", "GetDeviceInformation-token"], requests.Select(Describe));
        Assert.Contains("<wsu:Created>2026-01-01T00:05:00Z</wsu:Created>", requests[2].Body, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromMinutes(5), client.ClockSkew);
    }

    [Fact]
    public async Task GetDeviceInformation_UsernameTokenRefused_AuthenticationFailedCarryingTheFault()
    {
        using var camera = new StubCamera(r => r.Operation == "GetSystemDateAndTime"
            ? StubCamera.Soap(ClockAnswer(2026, 1, 1, 0, 0, 0))
            : StubCamera.Fault("Sender", "NotAuthorized", "Sender not Authorized"));
        using var client = Client(camera, OnvifAuthMode.UsernameToken);

        var error = await Assert.ThrowsAsync<OnvifAuthenticationException>(() => client.GetDeviceInformationAsync());

        Assert.Equal(OnvifAuthMode.UsernameToken, error.Attempted);
        Assert.Equal("ter:NotAuthorized", error.Fault?.Subcode);
        Assert.Equal("Sender not Authorized", error.Fault?.Reason);
    }

    [Fact]
    public async Task GetDeviceInformation_UsernameTokenMode_NeverAnswersADigestChallenge()
    {
        using var camera = new StubCamera(r => r.Operation == "GetSystemDateAndTime" ? StubCamera.Soap(ClockAnswer(2026, 1, 1, 0, 0, 0)) : StubCamera.Challenge());
        using var client = Client(camera, OnvifAuthMode.UsernameToken);

        var error = await Assert.ThrowsAsync<OnvifAuthenticationException>(() => client.GetDeviceInformationAsync());

        Assert.Equal(OnvifAuthMode.UsernameToken, error.Attempted);
        Assert.All(camera.Requests, r => Assert.Null(r.Authorization));
    }

    [Fact]
    public async Task GetSystemDateAndTime_AnyMode_SendsNoCredentials()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        using var camera = new StubCamera(_ => StubCamera.Soap(ClockAnswer(2026, 3, 1, 11, 59, 30)));
        using var client = Client(camera, OnvifAuthMode.UsernameToken, time);

        var clock = await client.GetSystemDateAndTimeAsync();

        Assert.Equal(TimeSpan.FromSeconds(-30), clock.ClockSkew);
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 11, 59, 30, TimeSpan.Zero), clock.CameraUtc);
        Assert.Equal("NTP", clock.DateTimeType);
        Assert.False(camera.Requests.Single().HasUsernameToken);
        Assert.Null(camera.Requests.Single().Authorization);
    }

    private static string Describe(StubCamera.Received r) =>
        r.Operation == "GetSystemDateAndTime" ? r.Operation : "GetDeviceInformation-" + (r.HasUsernameToken ? "token" : "plain");

    internal static string ClockAnswer(int year, int month, int day, int hour, int minute, int second) =>
        "<tds:GetSystemDateAndTimeResponse><tds:SystemDateAndTime><tt:DateTimeType>NTP</tt:DateTimeType><tt:DaylightSavings>false</tt:DaylightSavings>" +
        "<tt:TimeZone><tt:TZ>UTC0</tt:TZ></tt:TimeZone><tt:UTCDateTime>" +
        $"<tt:Time><tt:Hour>{hour}</tt:Hour><tt:Minute>{minute}</tt:Minute><tt:Second>{second}</tt:Second></tt:Time>" +
        $"<tt:Date><tt:Year>{year}</tt:Year><tt:Month>{month}</tt:Month><tt:Day>{day}</tt:Day></tt:Date>" +
        "</tt:UTCDateTime></tds:SystemDateAndTime></tds:GetSystemDateAndTimeResponse>";
}
