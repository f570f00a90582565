using System.Net.Http.Json;
using System.Text.Json;
using Nova.Firmware.Simulator;
using Nova.Firmware.Simulator.Devices;
using Nova.Firmware.Simulator.Fleet;

namespace Nova.Firmware.EndToEnd.Tests.Nova;

/// <summary>
/// Steps of the tests that run a simulated fleet against server processes: enrol the simulator's
/// devices, import the image they will take, read the jobs, wait for a condition.
/// </summary>
public static class FleetSteps
{
    public sealed record JobRow(long Id, Guid DeviceId, string Status);

    /// <summary>Registers a simulated gateway (A/B slots, version 1.0.0) and gives it its DDI token.</summary>
    public static async Task<Guid> EnrolAsync(HttpClient admin, DeviceSpec spec)
    {
        var response = await admin.PostAsJsonAsync("/api/v1/devices", new
        {
            controllerId = spec.Id, vendor = spec.Vendor, model = spec.Model, hardwareRevision = spec.HwRevision, soc = spec.Soc,
            serial = spec.Id, kind = "gateway", protocol = "ddi", firmware = new { activeVersion = "1.0.0" },
            capabilities = new { abSlots = true },
        });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        (await admin.PostAsJsonAsync($"/api/v1/devices/{id}/ddi-token", new { token = spec.DdiToken })).EnsureSuccessStatusCode();
        return id;
    }

    /// <summary>Imports version 2.0.0 for the simulator's default gateway model; returns the package id.</summary>
    public static async Task<Guid> ImportAsync(HttpClient admin)
    {
        var image = SimulatedImage.Build("2.0.0", "aarch64", ["1.0"], 64 * 1024, vendor: "Acme", model: "GW-100");
        using var form = NovaApi.PackageForm("Acme", "2.0.0", "GW-100", "1.0", "aarch64", image, "gw-100-2.0.0.img");
        var response = await admin.PostAsync("/api/v1/packages", form);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    /// <summary>
    /// Registers a simulated camera as an operator does: inventory entry (ONVIF, its device service
    /// address on <paramref name="simulator"/>), then its credentials through the API.
    /// </summary>
    public static async Task<Guid> EnrolCameraAsync(HttpClient admin, DeviceSpec spec, Uri simulator)
    {
        var response = await admin.PostAsJsonAsync("/api/v1/devices", new
        {
            controllerId = spec.Id, vendor = spec.Vendor, model = spec.Model, hardwareRevision = spec.HwRevision, soc = spec.Soc,
            serial = spec.Serial ?? spec.Id, kind = "camera", protocol = "onvif",
            address = new Uri(simulator, $"onvif/{spec.Id}/device_service").ToString(),
            firmware = new { activeVersion = spec.FirmwareVersion },
            capabilities = new { abSlots = spec.Layout == FlashLayout.AB },
        });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var set = await admin.PutAsJsonAsync($"/api/v1/devices/{id}/credentials", new { username = spec.OnvifUsername, password = spec.OnvifPassword });
        Assert.True(set.IsSuccessStatusCode, $"Setting credentials failed: {(int)set.StatusCode} {await set.Content.ReadAsStringAsync()}");
        return id;
    }

    /// <summary>Imports an image of <paramref name="payloadBytes"/> for the simulator's CAM-7 camera (Optica, rev 1.0, armv7); returns the package id.</summary>
    public static async Task<Guid> ImportCameraImageAsync(HttpClient admin, string version, int payloadBytes)
    {
        var image = SimulatedImage.Build(version, "armv7", ["1.0"], payloadBytes, vendor: "Optica", model: "CAM-7");
        using var form = NovaApi.PackageForm("Optica", version, "CAM-7", "1.0", "armv7", image, $"cam7-{version}.img");
        var response = await admin.PostAsync("/api/v1/packages", form);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    /// <summary>Starts a device job as an operator does; returns its id.</summary>
    public static async Task<long> StartJobAsync(HttpClient admin, Guid deviceId, Guid packageId)
    {
        var response = await admin.PostAsJsonAsync($"/api/v1/devices/{deviceId}/jobs", new { packageId });
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
    }

    /// <summary>One job with its timeline.</summary>
    public static Task<JsonElement> JobAsync(HttpClient admin, long jobId) => admin.GetFromJsonAsync<JsonElement>($"/api/v1/jobs/{jobId}");

    /// <summary>A job's ONVIF push events (step and attempt, in timeline order) and the attempts the engine issued.</summary>
    public static (IReadOnlyList<(string Step, int Attempt)> Push, IReadOnlyList<int> Issued) PushHistory(JsonElement job)
    {
        var push = new List<(string, int)>();
        var issued = new List<int>();
        foreach (var entry in job.GetProperty("timeline").EnumerateArray())
        {
            if (entry.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object && data.TryGetProperty("onvif", out var step))
            {
                push.Add((step.GetString()!, data.GetProperty("attempt").GetInt32()));
            }
            else if (entry.GetProperty("kind").GetString() == "command"
                && System.Text.RegularExpressions.Regex.Match(entry.GetProperty("message").GetString()!, @"attempt (\d+)\.$") is { Success: true } m)
            {
                issued.Add(int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        return (push, issued);
    }

    /// <summary>Every device job, page by page.</summary>
    public static async Task<List<JobRow>> JobsAsync(HttpClient admin)
    {
        var all = new List<JobRow>();
        for (var number = 1; ; number++)
        {
            var page = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/jobs?pageSize=500&page={number}");
            var items = page.GetProperty("items").EnumerateArray()
                .Select(j => new JobRow(j.GetProperty("id").GetInt64(), j.GetProperty("deviceId").GetGuid(), j.GetProperty("status").GetString()!)).ToList();
            all.AddRange(items);
            if (items.Count < 500)
            {
                return all;
            }
        }
    }

    /// <summary>True once every device has been seen by the server (its last-seen time is stored).</summary>
    public static async Task<bool> AllReportedAsync(HttpClient admin, IEnumerable<Guid> ids)
    {
        foreach (var id in ids)
        {
            var device = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/devices/{id}");
            if (device.GetProperty("health").GetProperty("lastSeenAt").ValueKind == JsonValueKind.Null)
            {
                return false;
            }
        }
        return true;
    }

    public static async Task WaitAsync(Func<Task<bool>> condition, TimeSpan within, string what)
    {
        var until = DateTime.UtcNow + within;
        while (!await condition())
        {
            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException($"Timed out waiting for {what}.");
            }
            await Task.Delay(250);
        }
    }
}
