using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Nova.Firmware.EndToEnd.Tests.Swupdate;
using Nova.Firmware.Protocols.Ddi;

namespace Nova.Firmware.EndToEnd.Tests.Discovery;

/// <summary>What the throwaway server offers at the next poll.</summary>
public enum DiscoveryOffer
{
    /// <summary>A deploymentBase link until the device posts closed feedback.</summary>
    Deployment,

    /// <summary>A cancelAction link for the action.</summary>
    Cancel,
}

/// <summary>
/// A minimal DDI server, only for tests: one device, one action with one <c>.swu</c> artifact. It answers
/// the way PROTOCOLS.md says SWUpdate needs (200 everywhere, mandatory sleep, sha1/md5/sha256, both
/// download links) and records every request so tests and docs can show exactly how SWUpdate talks.
/// </summary>
public sealed class DiscoveryDdiServer : IAsyncDisposable
{
    public const string ArtifactPathPrefix = "/artifacts/";
    private readonly WebApplication _app;
    private readonly DiscoveryDdiOptions _options;
    private volatile bool _closed;
    private volatile bool _configDataReceived;
    private int _downloads;
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();

    private DiscoveryDdiServer(WebApplication app, DiscoveryDdiOptions options)
    {
        _app = app;
        _options = options;
    }

    public AwaitableLog<RecordedRequest> Requests { get; } = new();

    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>Base of the controller resource, e.g. <c>/DEFAULT/controller/v1/dev-001</c>.</summary>
    public string ControllerPath => $"/{_options.Tenant}/controller/v1/{_options.ControllerId}";

    public IReadOnlyList<RecordedRequest> Feedback => [.. Requests.Snapshot().Where(r => r.IsFeedback)];

    public static async Task<DiscoveryDdiServer> StartAsync(DiscoveryDdiOptions options)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new DiscoveryDdiServer(app, options);
        server.Map();
        await app.StartAsync();
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()
            ?? throw new InvalidOperationException("Kestrel did not report its address.");
        server.BaseUrl = new Uri(addresses.Addresses.First());
        return server;
    }

    public Task<RecordedRequest> WaitForRequestAsync(Func<RecordedRequest, bool> predicate, TimeSpan timeout, string? description = null) =>
        Requests.WaitForAsync(predicate, timeout, description);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private void Map()
    {
        _app.Use(async (context, next) =>
        {
            context.Request.EnableBuffering();
            using var reader = new StreamReader(context.Request.Body, leaveOpen: true);
            var body = await reader.ReadToEndAsync();
            context.Request.Body.Position = 0;
            var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            Requests.Add(new RecordedRequest(_clock.Elapsed, context.Request.Method, context.Request.Path.Value ?? "", context.Request.QueryString.Value ?? "", headers, body));
            await next(context);
        });

        var controller = _app.MapGroup(ControllerPath);
        controller.MapGet("/", Poll);
        controller.MapGet("/deploymentBase/{actionId}", DeploymentBase);
        controller.MapPost("/deploymentBase/{actionId}/feedback", RecordFeedback);
        controller.MapGet("/cancelAction/{actionId}", () => TypedResults.Json(new DdiCancel(_options.ActionId, new DdiCancelActionStop(_options.ActionId))));
        controller.MapPost("/cancelAction/{actionId}/feedback", () => TypedResults.Ok());
        controller.MapPut("/configData", () =>
        {
            _configDataReceived = true;
            return TypedResults.Ok();
        });
        // SWUpdate sends HEAD first to learn the size ("Total download size is N kB"), then GET.
        _app.MapMethods(ArtifactPathPrefix + "{fileName}", [HttpMethods.Get, HttpMethods.Head], Download);
    }

    private IResult Poll()
    {
        var self = $"{BaseUrl.GetLeftPart(UriPartial.Authority)}{ControllerPath}";
        var offerConfigData = _options.RequestConfigData && !_configDataReceived;
        var links = _options.Offer switch
        {
            DiscoveryOffer.Deployment => new DdiControllerLinks(
                DeploymentBase: _closed ? null : new DdiLink($"{self}/deploymentBase/{_options.ActionId}?c=-1"),
                ConfigData: offerConfigData ? new DdiLink($"{self}/configData") : null),
            DiscoveryOffer.Cancel => new DdiControllerLinks(
                CancelAction: new DdiLink($"{self}/cancelAction/{_options.ActionId}"),
                ConfigData: offerConfigData ? new DdiLink($"{self}/configData") : null),
            _ => throw new InvalidOperationException($"Unknown offer {_options.Offer}."),
        };
        return TypedResults.Json(new DdiControllerBase(new DdiConfig(new DdiPolling(DdiValues.FormatSleep(_options.Sleep))), links));
    }

    private IResult DeploymentBase(string actionId)
    {
        var origin = BaseUrl.GetLeftPart(UriPartial.Authority);
        var href = new DdiLink($"{origin}{ArtifactPathPrefix}{_options.ArtifactName}");
        var artifact = new DdiArtifact(
            _options.ArtifactName,
            _options.Artifact.Length,
            SwuBundle.HashesOf(_options.Artifact),
            new DdiArtifactLinks(href, href));
        var chunk = new DdiChunk("os", _options.Version, "nova-firmware", [artifact]);
        var deployment = new DdiDeploymentBase(
            actionId,
            new DdiDeployment(DdiValues.Handling.Forced, DdiValues.Handling.Forced, [chunk], "available"));
        if (!_options.OmitSha1)
        {
            return TypedResults.Json(deployment);
        }

        var json = JsonSerializer.SerializeToNode(deployment)!;
        json["deployment"]!["chunks"]![0]!["artifacts"]![0]!["hashes"]!.AsObject().Remove("sha1");
        return TypedResults.Content(json.ToJsonString(), "application/json");
    }

    private async Task<IResult> RecordFeedback(HttpRequest request)
    {
        using var reader = new StreamReader(request.Body);
        var body = await reader.ReadToEndAsync();
        try
        {
            var feedback = JsonSerializer.Deserialize<DdiActionFeedback>(body);
            if (feedback?.Status.Execution == DdiValues.Execution.Closed)
            {
                _closed = true;
            }
        }
        catch (JsonException)
        {
            // Kept raw in the request log; SWUpdate does not escape quotes inside details.
        }

        return TypedResults.Ok();
    }

    /// <summary>Serves the artifact, honouring <c>Range: bytes=N-</c>; optionally cuts every response short.</summary>
    private async Task Download(HttpContext context, string fileName)
    {
        var content = _options.ServedArtifact ?? _options.Artifact;
        var start = 0;
        if (context.Request.Headers.Range.ToString() is { Length: > 0 } range
            && range.StartsWith("bytes=", StringComparison.Ordinal)
            && int.TryParse(range["bytes=".Length..].TrimEnd('-'), out var from)
            && from < content.Length)
        {
            start = from;
            context.Response.StatusCode = StatusCodes.Status206PartialContent;
            context.Response.Headers.ContentRange = $"bytes {from}-{content.Length - 1}/{content.Length}";
        }

        context.Response.ContentType = "application/octet-stream";
        context.Response.ContentLength = content.Length - start;
        if (HttpMethods.IsHead(context.Request.Method))
        {
            return;
        }

        var remaining = content.AsMemory(start);
        var firstDownload = Interlocked.Increment(ref _downloads) == 1;
        var cut = _options.CutEachResponseAfterBytes ?? (firstDownload ? _options.CutFirstResponseAfterBytes : null);
        if (cut is { } length && length < remaining.Length)
        {
            await context.Response.Body.WriteAsync(remaining[..length]);
            await context.Response.Body.FlushAsync();
            // Abort resets the connection; give the bytes time to arrive first, or the client loses
            // them and resumes from where it was before (a server that dies mid-send, not a black hole).
            // 1.5 s, not less: on a loaded machine Kestrel may not have written them to the socket yet.
            await Task.Delay(1500);
            context.Abort();
            return;
        }

        await context.Response.Body.WriteAsync(remaining);
    }
}
