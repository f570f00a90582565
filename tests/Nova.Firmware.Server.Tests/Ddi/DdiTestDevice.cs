using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Nova.Firmware.Protocols.Ddi;

namespace Nova.Firmware.Server.Tests.Ddi;

/// <summary>
/// A scripted hawkBit client for API contract tests: sends exactly what SWUpdate sends (see
/// docs/swupdate-client.md), step by step, so each test controls the order. The real SWUpdate
/// client runs in the end-to-end tests.
/// </summary>
public sealed class DdiTestDevice(HttpClient http, string controllerId, string token)
{
    public string Base => $"/DEFAULT/controller/v1/{controllerId}";

    public string Token => token;

    private HttpRequestMessage Request(HttpMethod method, string url, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, url) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("TargetToken", token);
        return request;
    }

    public async Task<(HttpStatusCode Status, DdiControllerBase? Body)> PollAsync()
    {
        using var response = await http.SendAsync(Request(HttpMethod.Get, Base));
        return (response.StatusCode, response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<DdiControllerBase>() : null);
    }

    public async Task<DdiDeploymentBase?> GetDeploymentAsync(string href)
    {
        using var response = await http.SendAsync(Request(HttpMethod.Get, href));
        return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<DdiDeploymentBase>() : null;
    }

    public async Task<HttpResponseMessage> DownloadAsync(string href, long? from = null, bool headOnly = false)
    {
        var request = Request(headOnly ? HttpMethod.Head : HttpMethod.Get, href);
        if (from is { } f)
        {
            request.Headers.Range = new RangeHeaderValue(f, null);
        }
        return await http.SendAsync(request);
    }

    public Task<HttpStatusCode> FeedbackAsync(long actionId, string execution, string finished, params string[] details) =>
        PostRawAsync($"{Base}/deploymentBase/{actionId}/feedback", JsonSerializer.Serialize(new
        {
            id = actionId,
            time = "20261123T202337",
            status = new { result = new { progress = new { cnt = 0, of = 1 }, finished }, execution, details },
        }));

    public async Task<HttpStatusCode> PostRawAsync(string url, string body)
    {
        using var response = await http.SendAsync(Request(HttpMethod.Post, url, new StringContent(body, Encoding.UTF8, "application/json")));
        return response.StatusCode;
    }

    public async Task<HttpStatusCode> ConfigDataAsync(IReadOnlyDictionary<string, string> data)
    {
        using var response = await http.SendAsync(Request(HttpMethod.Put, $"{Base}/configData", JsonContent.Create(new DdiConfigData(data, null))));
        return response.StatusCode;
    }
}
