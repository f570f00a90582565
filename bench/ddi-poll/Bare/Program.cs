using System.Text.Json.Serialization;

// The same route and a reply of the same shape and size as Nova's DDI poll for an idle device,
// with nothing behind it: the ceiling the machine allows for this request through ASP.NET Core.
// Same host setup as Nova (CreateBuilder, reflection-based System.Text.Json) so the difference is
// Nova's own work per poll.
var app = WebApplication.CreateBuilder(args).Build();

app.MapGet("/{tenant}/controller/v1/{controllerId}", (string tenant, string controllerId, HttpRequest request) =>
{
    if (request.Headers.Authorization.Count == 0)
    {
        return Results.Unauthorized();
    }
    var self = $"{request.Scheme}://{request.Host}/{Uri.EscapeDataString(tenant)}/controller/v1/{Uri.EscapeDataString(controllerId)}";
    return TypedResults.Ok(new PollReply(new PollConfig(new PollSleep("00:01:00")), new PollLinks(new PollLink($"{self}/configData"))));
});

await app.RunAsync();

internal sealed record PollReply([property: JsonPropertyName("config")] PollConfig Config, [property: JsonPropertyName("_links")] PollLinks Links);

internal sealed record PollConfig([property: JsonPropertyName("polling")] PollSleep Polling);

internal sealed record PollSleep([property: JsonPropertyName("sleep")] string Sleep);

internal sealed record PollLinks([property: JsonPropertyName("configData")] PollLink ConfigData);

internal sealed record PollLink([property: JsonPropertyName("href")] string Href);
