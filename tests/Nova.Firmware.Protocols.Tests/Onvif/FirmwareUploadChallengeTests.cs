using Nova.Firmware.Protocols.Onvif;
using Nova.Firmware.Protocols.Tests.Onvif.Infrastructure;

namespace Nova.Firmware.Protocols.Tests.Onvif;

/// <summary>An upload URI that demands Digest: the image crosses the wire exactly once.</summary>
public sealed class FirmwareUploadChallengeTests
{
    private static readonly byte[] Image = [.. Enumerable.Range(0, 300_000).Select(i => (byte)i)];

    [Fact]
    public async Task UploadFirmware_NoCachedChallenge_ChallengeArrivesBeforeTheBodyAndTheImageIsSentOnce()
    {
        await using var camera = await ChallengingUploadServer.StartAsync();
        using var client = OnvifClient.Create(camera.DeviceService, new OnvifCredentials("admin", "admin"));
        var ticket = new FirmwareUpgradeTicket(camera.UploadUri, TimeSpan.Zero, TimeSpan.FromMinutes(1));
        var source = new NonSeekableStream(Image);

        var result = await client.UploadFirmwareAsync(ticket, source, Image.Length);

        Assert.Equal(200, result.HttpStatus);
        Assert.Equal("OK", result.ResponseText);
        Assert.Equal(2, camera.UploadRequests);
        Assert.Equal(1, camera.UnauthenticatedUploads);
        Assert.Equal(Image.Length, camera.BodyBytes);
        Assert.Equal(Image.Length, result.BytesSent);
    }

    [Fact]
    public async Task UploadFirmware_ChallengeCachedBySoapCall_FirstUploadRequestIsAlreadyAuthenticated()
    {
        await using var camera = await ChallengingUploadServer.StartAsync();
        using var client = OnvifClient.Create(camera.DeviceService, new OnvifCredentials("admin", "admin"), options: new OnvifClientOptions { AuthMode = OnvifAuthMode.Digest });
        await client.GetDeviceInformationAsync();
        var ticket = new FirmwareUpgradeTicket(camera.UploadUri, TimeSpan.Zero, TimeSpan.FromMinutes(1));

        var result = await client.UploadFirmwareAsync(ticket, new NonSeekableStream(Image), Image.Length);

        Assert.Equal(200, result.HttpStatus);
        Assert.Equal(1, camera.UploadRequests);
        Assert.Equal(0, camera.UnauthenticatedUploads);
        Assert.Equal(Image.Length, camera.BodyBytes);
    }

    [Fact]
    public async Task UploadFirmware_WrongPassword_AuthenticationFailedAndNoBodySent()
    {
        await using var camera = await ChallengingUploadServer.StartAsync();
        using var client = OnvifClient.Create(camera.DeviceService, new OnvifCredentials("admin", "wrong"));
        var ticket = new FirmwareUpgradeTicket(camera.UploadUri, TimeSpan.Zero, TimeSpan.FromMinutes(1));

        var error = await Assert.ThrowsAsync<OnvifAuthenticationException>(() => client.UploadFirmwareAsync(ticket, new NonSeekableStream(Image), Image.Length));

        Assert.Equal("FirmwareUpload", error.Operation);
        Assert.Equal(0, camera.BodyBytes);
        Assert.Equal(2, camera.UploadRequests);
    }
}
