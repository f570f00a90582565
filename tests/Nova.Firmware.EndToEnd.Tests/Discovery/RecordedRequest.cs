using System.Text.Json;
using Nova.Firmware.Protocols.Ddi;

namespace Nova.Firmware.EndToEnd.Tests.Discovery;

/// <summary>One HTTP request as the DDI server saw it, body kept raw (SWUpdate does not JSON-escape details).</summary>
public sealed record RecordedRequest(
    TimeSpan At,
    string Method,
    string Path,
    string Query,
    IReadOnlyDictionary<string, string> Headers,
    string Body)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    public bool IsFeedback => Method == "POST" && Path.EndsWith("/feedback", StringComparison.Ordinal);

    public bool IsDownload => Method == "GET" && Path.StartsWith(DiscoveryDdiServer.ArtifactPathPrefix, StringComparison.Ordinal);

    /// <summary>The parsed feedback body, or null when it is not feedback or not valid JSON.</summary>
    public DdiActionFeedback? Feedback
    {
        get
        {
            if (!IsFeedback)
            {
                return null;
            }

            try
            {
                return JsonSerializer.Deserialize<DdiActionFeedback>(Body);
            }
            catch (JsonException)
            {
                return null;
            }
        }
    }

    public bool IsFeedbackWith(string execution, string finished) =>
        Feedback is { } feedback && feedback.Status.Execution == execution && feedback.Status.Result.Finished == finished;

    public override string ToString() =>
        $"+{At.TotalSeconds:0.000}s {Method} {Path}{Query}{(Header("Range") is { } range ? $" [Range: {range}]" : "")} {(Body.Length > 300 ? Body[..300] + "…" : Body)}";
}
