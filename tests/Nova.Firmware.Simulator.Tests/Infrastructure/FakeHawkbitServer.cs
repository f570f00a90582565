using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Nova.Firmware.Protocols.Ddi;

namespace Nova.Firmware.Simulator.Tests.Infrastructure;

/// <summary>
/// A small in-test DDI server that answers like hawkBit: poll with sleep and links, deploymentBase,
/// artifact downloads with Range, feedback and configData recorded for assertions.
/// </summary>
public sealed class FakeHawkbitServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, Action> _actions = new();
    private int _finalFeedbackToRefuse;

    private FakeHawkbitServer(WebApplication app) => _app = app;

    public Uri BaseUrl { get; private set; } = null!;
    public string Sleep { get; set; } = "00:00:10";
    public ConcurrentQueue<(string Controller, DdiActionFeedback Feedback)> Feedback { get; } = new();
    public ConcurrentDictionary<string, IReadOnlyDictionary<string, string>> ConfigData { get; } = new();
    public ConcurrentQueue<string?> RangeHeaders { get; } = new();
    public ConcurrentQueue<string?> Authorizations { get; } = new();
    /// <summary>Final feedback answered 503 (not taken), as a server that is restarting would.</summary>
    public ConcurrentQueue<(string Controller, DdiActionFeedback Feedback)> RefusedFeedback { get; } = new();

    /// <summary>Answers the next <paramref name="count"/> final (closed) feedback posts with 503.</summary>
    public void RefuseFinalFeedback(int count) => Volatile.Write(ref _finalFeedbackToRefuse, count);

    public static async Task<FakeHawkbitServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FakeHawkbitServer(app);
        server.Map(app);
        await app.StartAsync();
        server.BaseUrl = new Uri(app.Urls.First() + "/");
        return server;
    }

    /// <summary>Offers one action to a controller; <paramref name="declaredSha256"/> overrides the real hash.</summary>
    public void Offer(string controller, string actionId, string filename, byte[] artifact, string version = "2.0.0", string? declaredSha256 = null) =>
        _actions[controller] = new Action(actionId, filename, artifact, version, declaredSha256 ?? Convert.ToHexStringLower(SHA256.HashData(artifact)));

    public IReadOnlyList<DdiActionFeedback> FeedbackFor(string controller) =>
        [.. Feedback.Where(f => f.Controller == controller).Select(f => f.Feedback)];

    public DdiActionFeedback? FinalFeedback(string controller) =>
        FeedbackFor(controller).LastOrDefault(f => f.Status.Execution == DdiValues.Execution.Closed);

    public async Task<DdiActionFeedback> WaitForFinalAsync(string controller, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            if (FinalFeedback(controller) is { } final)
            {
                return final;
            }
            await Task.Delay(20, cts.Token);
        }
    }

    private void Map(IEndpointRouteBuilder app)
    {
        var controller = app.MapGroup("/{tenant}/controller/v1/{id}");
        controller.MapGet("", (HttpContext http, string tenant, string id) =>
        {
            Authorizations.Enqueue(http.Request.Headers.Authorization);
            var open = _actions.TryGetValue(id, out var action) && !action.Closed;
            var links = new DdiControllerLinks(
                DeploymentBase: open ? new DdiLink($"{BaseUrl}{tenant}/controller/v1/{id}/deploymentBase/{action!.Id}?c=-1") : null,
                ConfigData: new DdiLink($"{BaseUrl}{tenant}/controller/v1/{id}/configData"));
            return Results.Json(new DdiControllerBase(new DdiConfig(new DdiPolling(Sleep)), links));
        });
        controller.MapGet("/deploymentBase/{actionId}", (string tenant, string id, string actionId) =>
        {
            if (!_actions.TryGetValue(id, out var action) || action.Id != actionId)
            {
                return Results.NotFound();
            }
            var href = $"{BaseUrl}{tenant}/controller/v1/{id}/softwaremodules/1/artifacts/{action.Filename}";
            var artifact = new DdiArtifact(action.Filename, action.Bytes.Length,
                new DdiArtifactHashes(Convert.ToHexStringLower(SHA1.HashData(action.Bytes)), Convert.ToHexStringLower(MD5.HashData(action.Bytes)), action.DeclaredSha256),
                new DdiArtifactLinks(new DdiLink(href), new DdiLink(href)));
            return Results.Json(new DdiDeploymentBase(action.Id, new DdiDeployment(
                DdiValues.Handling.Forced, DdiValues.Handling.Forced, [new DdiChunk("os", action.Version, "firmware", [artifact])], "available")));
        });
        controller.MapPost("/deploymentBase/{actionId}/feedback", async (HttpContext http, string id, string actionId) =>
        {
            var feedback = await JsonSerializer.DeserializeAsync<DdiActionFeedback>(http.Request.Body);
            if (feedback!.Status.Execution == DdiValues.Execution.Closed && Interlocked.Decrement(ref _finalFeedbackToRefuse) >= 0)
            {
                RefusedFeedback.Enqueue((id, feedback));
                return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
            }
            Feedback.Enqueue((id, feedback!));
            if (feedback!.Status.Execution == DdiValues.Execution.Closed && _actions.TryGetValue(id, out var action) && action.Id == actionId)
            {
                action.Closed = true;
            }
            return Results.Ok();
        });
        controller.MapPut("/configData", async (HttpContext http, string id) =>
        {
            var config = await JsonSerializer.DeserializeAsync<DdiConfigData>(http.Request.Body);
            ConfigData[id] = config!.Data;
            return Results.Ok();
        });
        controller.MapGet("/softwaremodules/1/artifacts/{file}", (HttpContext http, string id) =>
        {
            RangeHeaders.Enqueue(http.Request.Headers.Range);
            return _actions.TryGetValue(id, out var action)
                ? Results.File(action.Bytes, "application/octet-stream", enableRangeProcessing: true)
                : Results.NotFound();
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private sealed class Action(string id, string filename, byte[] bytes, string version, string declaredSha256)
    {
        public string Id { get; } = id;
        public string Filename { get; } = filename;
        public byte[] Bytes { get; } = bytes;
        public string Version { get; } = version;
        public string DeclaredSha256 { get; } = declaredSha256;
        public bool Closed { get; set; }
    }
}
