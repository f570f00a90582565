using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;

namespace Nova.Firmware.Cli.Api;

/// <summary>
/// The management API as the CLI uses it: every call either returns the server's JSON or throws a
/// <see cref="CliException"/> with one readable line (the problem's title and detail) and its exit code.
/// </summary>
public sealed class NovaApi : IDisposable
{
    private readonly HttpClient _http;

    public NovaApi(Connection connection, Func<HttpMessageHandler>? handler)
    {
        Connection = connection;
        _http = handler is null ? new HttpClient() : new HttpClient(handler(), disposeHandler: true);
        _http.BaseAddress = connection.Server;
        // Long transfers (package import, RMA bundles) are bounded by the server; watches poll.
        _http.Timeout = Timeout.InfiniteTimeSpan;
        if (connection.ApiKey is { } key)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("novafw", "1"));
    }

    public Connection Connection { get; }

    /// <summary>A path the server answered with (an article, a download) as an address a person can open.</summary>
    public string Absolute(string path) => new Uri(Connection.Server, path).ToString();

    public Task<JsonElement> GetAsync(string path, CancellationToken ct) => SendAsync(HttpMethod.Get, path, null, ct);

    public Task<JsonElement> PostAsync(string path, object? body, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, path, body is null ? null : JsonContent.Create(body, options: JsonOptions), ct);

    public Task<JsonElement> PutAsync(string path, object? body, CancellationToken ct) =>
        SendAsync(HttpMethod.Put, path, body is null ? null : JsonContent.Create(body, options: JsonOptions), ct);

    public Task<JsonElement> SendAsync(HttpMethod method, string path, HttpContent? content, CancellationToken ct) =>
        WithResponseAsync(method, path, content, async response =>
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            return string.IsNullOrWhiteSpace(text) ? default : JsonDocument.Parse(text).RootElement.Clone();
        }, ct);

    /// <summary>Streams a successful answer's body into <paramref name="destination"/>; returns the suggested file name.</summary>
    public Task<string?> DownloadAsync(string path, Stream destination, CancellationToken ct) =>
        WithResponseAsync(HttpMethod.Get, path, null, async response =>
        {
            await using var body = await response.Content.ReadAsStreamAsync(ct);
            await body.CopyToAsync(destination, ct);
            return response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName?.Trim('"');
        }, ct);

    private async Task<T> WithResponseAsync<T>(HttpMethod method, string path, HttpContent? content, Func<HttpResponseMessage, Task<T>> read, CancellationToken ct)
    {
        if (Connection.ApiKey is null)
        {
            throw new CliException(ExitCodes.AuthRefused,
                "No API key: run 'novafw config set --api-key KEY', set NOVAFW_API_KEY, or pass --api-key.");
        }
        using var request = new HttpRequestMessage(method, path.TrimStart('/')) { Content = content };
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        }
        catch (HttpRequestException ex) when (ex.InnerException is SocketException or IOException || ex.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError)
        {
            throw new CliException(ExitCodes.Unreachable, $"Cannot reach the server at {Connection.Server} ({ex.Message}). Is it running? Set it with --server or NOVAFW_SERVER.");
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new CliException(ExitCodes.Unreachable, $"The server at {Connection.Server} did not answer in time.");
        }
        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                var body = await response.Content.ReadAsStringAsync(ct);
                throw new CliException(ProblemText.ExitCodeFor(response.StatusCode), ProblemText.Describe(response.StatusCode, body));
            }
            return await read(response);
        }
    }

    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    public void Dispose() => _http.Dispose();
}
