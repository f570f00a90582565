using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Nova.Firmware.Server.Tests.Builders;
using Nova.Firmware.Server.Tests.Credentials;
using Nova.Firmware.Server.Tests.Ddi;
using Nova.Firmware.Server.Tests.Infrastructure;

namespace Nova.Firmware.Server.Tests.Hosting;

public sealed class SecretsInLogsTests
{
    /// <summary>Everything logged, down to debug, framework categories included.</summary>
    private static readonly Dictionary<string, string> Verbose = new(NovaServer.FastEngine)
    {
        ["Logging:LogLevel:Default"] = "Debug",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Debug",
        ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Debug",
        ["Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command"] = "Debug",
    };

    [Fact]
    public async Task Logs_FlashDrivenWithApiKeyTokenAndCredentials_NeverContainTheSecrets()
    {
        var logs = new CapturedLogs();
        await using var server = await NovaServer.StartAsync(settings: Verbose, configureServices: s => s.AddSingleton<ILoggerProvider>(logs));
        var key = await server.CreateApiKeyAsync("ci", "operator");
        using var operatorClient = server.CreateApiKeyClient(key.Key);
        var device = FleetBuilder.Gateway();
        await server.AddDeviceAsync(device);
        using var admin = server.CreateAdminClient();
        var tokenResponse = await admin.PostAsJsonAsync($"/api/v1/devices/{device.Id}/ddi-token", new { });
        var token = (await tokenResponse.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        const string cameraPassword = "camera-pass-5f1e2d3c4b";
        await CredentialSteps.PutAsync(admin, $"/api/v1/devices/{device.Id}/credentials", "service", cameraPassword);
        const string wrongPassword = "wrong-pass-9a8b7c6d5e";
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.CreateBasicClient("admin", wrongPassword).GetAsync("/api/v1/devices")).StatusCode);

        var ddi = new DdiTestDevice(server.CreateClient(), device.ControllerId, token);
        Assert.Equal(HttpStatusCode.OK, (await ddi.PollAsync()).Status);
        await Eventually.GetAsync(() => DdiFixture.LastSeenAsync(server, device.Id), seen => seen is not null, what: "last-seen flush");
        var package = await server.AddPackageAsync(RandomNumberGenerator.GetBytes(50_000));
        var created = await operatorClient.PostAsJsonAsync($"/api/v1/devices/{device.Id}/jobs", new { packageId = package.Id });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var jobId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        await DdiFixture.JobInStatusAsync(server, jobId, "transferring");
        var poll = (await ddi.PollAsync()).Body!;
        await ddi.GetDeploymentAsync(poll.Links.DeploymentBase!.Href);
        await ddi.FeedbackAsync(jobId, "closed", "failure", "ERROR : HASH mismatch : 1111 <--> 2222");
        await DdiFixture.JobInStatusAsync(server, jobId, "failed");

        var entries = logs.Entries;
        // The capture saw the run (so an empty log cannot pass): SQL at debug and each job transition.
        Assert.Contains(entries, e => e.Category == "Microsoft.EntityFrameworkCore.Database.Command");
        Assert.Contains(entries, e => e.EventId.Id == 2001 && e.Level == LogLevel.Information && e.Values.Contains($"JobId={jobId}"));
        foreach (var secret in new[] { key.Key, token, cameraPassword, wrongPassword, NovaServer.AdminPassword })
        {
            var leak = entries.FirstOrDefault(e => Contains(e, secret));
            Assert.True(leak is null, $"A secret was logged by {leak?.Category} ({leak?.EventId}): {leak?.Message}");
        }
    }

    private static bool Contains(CapturedLog entry, string secret) =>
        entry.Message.Contains(secret, StringComparison.Ordinal)
        || entry.Values.Any(v => v.Contains(secret, StringComparison.Ordinal))
        || (entry.Exception?.Contains(secret, StringComparison.Ordinal) ?? false);
}
