using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Nova.Firmware.Domain.Devices;
using Nova.Firmware.Persistence;
using Nova.Firmware.Server.Tests.Builders;
using Nova.Firmware.Server.Tests.Infrastructure;

namespace Nova.Firmware.Server.Tests.Ddi;

/// <summary>Steps shared by the DDI tests: enrol a device with a token, start a job, read it back.</summary>
public static class DdiFixture
{
    public static async Task<DdiTestDevice> EnrolAsync(NovaServer server, Device device, bool checkIn = true)
    {
        await server.AddDeviceAsync(device);
        using var admin = server.CreateAdminClient();
        var response = await admin.PostAsJsonAsync($"/api/v1/devices/{device.Id}/ddi-token", new { });
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        var ddi = new DdiTestDevice(server.CreateClient(), device.ControllerId, token);
        if (checkIn)
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, (await ddi.PollAsync()).Status);
            await Eventually.GetAsync(() => LastSeenAsync(server, device.Id), seen => seen is not null, what: "last-seen flush");
        }
        return ddi;
    }

    public static async Task<DateTimeOffset?> LastSeenAsync(NovaServer server, Guid deviceId)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FirmwareDbContext>();
        return await db.Set<Device>().Where(d => d.Id == deviceId).Select(d => d.Health.LastSeenAt).SingleAsync();
    }

    public static async Task<long> StartJobAsync(NovaServer server, Guid deviceId, Guid packageId)
    {
        using var admin = server.CreateAdminClient();
        var response = await admin.PostAsJsonAsync($"/api/v1/devices/{deviceId}/jobs", new { packageId });
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
    }

    public static async Task<JsonElement> JobAsync(NovaServer server, long jobId)
    {
        using var admin = server.CreateAdminClient();
        return await admin.GetFromJsonAsync<JsonElement>($"/api/v1/jobs/{jobId}");
    }

    public static Task<JsonElement> JobInStatusAsync(NovaServer server, long jobId, params string[] statuses) =>
        Eventually.GetAsync(() => JobAsync(server, jobId), j => statuses.Contains(j.GetProperty("status").GetString()),
            what: $"job {jobId} to reach {string.Join("/", statuses)}");
}
