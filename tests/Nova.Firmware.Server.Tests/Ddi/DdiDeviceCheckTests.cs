using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Nova.Firmware.Persistence;
using Nova.Firmware.Server.Ddi;
using Nova.Firmware.Server.Tests.Builders;
using Nova.Firmware.Server.Tests.Infrastructure;

namespace Nova.Firmware.Server.Tests.Ddi;

/// <summary>
/// The device check every DDI endpoint passes, once, before its handler: the same refusals on every
/// endpoint the route group maps (taken from the routing table, so a new endpoint is covered too).
/// </summary>
public sealed class DdiDeviceCheckTests
{
    private const string GatewayToken = "test-gateway-token";

    /// <summary>Every DDI endpoint and method, as a request path for <paramref name="controllerId"/> under <paramref name="tenant"/>.</summary>
    private static List<(string Method, string Path)> DdiRequests(NovaServer server, string tenant, string controllerId)
    {
        var endpoints = server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith(DdiEndpoints.Root, StringComparison.Ordinal) == true).ToList();
        var requests = new List<(string, string)>();
        foreach (var endpoint in endpoints)
        {
            var path = endpoint.RoutePattern.RawText!
                .Replace("{tenant}", tenant, StringComparison.Ordinal).Replace("{controllerId}", controllerId, StringComparison.Ordinal)
                .Replace("{actionId:long}", "1", StringComparison.Ordinal).Replace("{moduleId:guid}", Guid.NewGuid().ToString(), StringComparison.Ordinal)
                .Replace("{fileName}", "image.swu", StringComparison.Ordinal);
            Assert.DoesNotContain("{", path, StringComparison.Ordinal);
            foreach (var method in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods)
            {
                requests.Add((method, path));
            }
        }
        // Poll, configData, deployment + feedback, cancel + feedback, artifact GET + HEAD.
        Assert.Equal(8, requests.Count);
        return requests;
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string method, string path, AuthenticationHeaderValue? authorization)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        request.Headers.Authorization = authorization;
        if (method is "PUT" or "POST")
        {
            request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
        }
        return await client.SendAsync(request);
    }

    /// <summary>A problem document without its per-request trace id, to compare answers.</summary>
    private static string WithoutTraceId(string body)
    {
        var json = System.Text.Json.Nodes.JsonNode.Parse(body)!.AsObject();
        json.Remove("traceId");
        return json.ToJsonString();
    }

    [Theory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task EveryDdiEndpoint_WrongOrMissingCredentials_Same401(DatabaseProvider provider)
    {
        await using var server = await NovaServer.StartAsync(provider, settings: new Dictionary<string, string>
        {
            ["Nova:Engine:RunLoops"] = "false", ["Nova:Ddi:GatewayToken"] = GatewayToken,
        });
        var device = FleetBuilder.Gateway();
        var other = FleetBuilder.Gateway();
        var ddi = await DdiFixture.EnrolAsync(server, device, checkIn: false);
        var otherDdi = await DdiFixture.EnrolAsync(server, other, checkIn: false);
        using var client = server.CreateClient();
        var wrong = new AuthenticationHeaderValue?[]
        {
            null,
            new("TargetToken", otherDdi.Token), // another device's own token
            new("TargetToken", "not-a-token-of-anyone"),
            new("GatewayToken", "not-the-gateway-token"),
            new("Bearer", ddi.Token), // the right secret under a scheme DDI does not take
        };

        var answers = new List<string>();
        foreach (var (method, path) in DdiRequests(server, "DEFAULT", device.ControllerId))
        {
            foreach (var authorization in wrong)
            {
                using var response = await SendAsync(client, method, path, authorization);

                Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
                answers.Add($"{response.Content.Headers.ContentType} {response.Headers.WwwAuthenticate} " +
                    (method == "HEAD" ? "" : WithoutTraceId(await response.Content.ReadAsStringAsync())));
            }
        }
        // Exactly what every DDI endpoint answered before the check became one filter: a problem
        // document (HEAD: its headers only) and no challenge, since DDI clients send their token unasked.
        Assert.Equal(
        [
            """application/problem+json  {"type":"https://tools.ietf.org/html/rfc9110#section-15.5.2","title":"Unauthorized","status":401}""",
            "application/problem+json  ",
        ], answers.Distinct().Order(StringComparer.Ordinal).Reverse());
    }

    [Theory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task EveryDdiEndpoint_OwnTokenOrGatewayToken_ReachesItsHandler(DatabaseProvider provider)
    {
        await using var server = await NovaServer.StartAsync(provider, settings: new Dictionary<string, string>
        {
            ["Nova:Engine:RunLoops"] = "false", ["Nova:Ddi:GatewayToken"] = GatewayToken,
        });
        var device = FleetBuilder.Gateway();
        var ddi = await DdiFixture.EnrolAsync(server, device, checkIn: false);
        using var client = server.CreateClient();

        foreach (var authorization in new AuthenticationHeaderValue[] { new("TargetToken", ddi.Token), new("GatewayToken", GatewayToken) })
        {
            foreach (var (method, path) in DdiRequests(server, "DEFAULT", device.ControllerId))
            {
                using var response = await SendAsync(client, method, path, authorization);

                // The handler ran as the device: action 1 and the random artifact are not its own (404),
                // the rest answer as they would for any device; never 401, never a server error.
                Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.NotFound or HttpStatusCode.BadRequest,
                    $"{method} {path}: {(int)response.StatusCode}");
                if (response.StatusCode == HttpStatusCode.NotFound && method != "HEAD")
                {
                    var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound);
                    Assert.StartsWith("No such ", problem.GetProperty("title").GetString(), StringComparison.Ordinal);
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task EveryDdiEndpoint_UnknownTenantOrUnstorableControllerId_RefusedBeforeAuthentication(DatabaseProvider provider)
    {
        await using var server = await NovaServer.StartAsync(provider, settings: new Dictionary<string, string>
        {
            ["Nova:Engine:RunLoops"] = "false", ["Nova:Ddi:GatewayToken"] = GatewayToken, ["Nova:Ddi:AutoRegister"] = "true",
        });
        var device = FleetBuilder.Gateway();
        var ddi = await DdiFixture.EnrolAsync(server, device, checkIn: false);
        using var client = server.CreateClient();
        var token = new AuthenticationHeaderValue("TargetToken", ddi.Token);

        foreach (var (method, path) in DdiRequests(server, "OTHER", device.ControllerId))
        {
            using var response = await SendAsync(client, method, path, token);

            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            if (method != "HEAD")
            {
                var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound);
                Assert.Equal("Unknown tenant", problem.GetProperty("title").GetString());
            }
        }
        foreach (var (method, path) in DdiRequests(server, "DEFAULT", "bad%07id"))
        {
            using var response = await SendAsync(client, method, path, token);

            if (method == "HEAD")
            {
                Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
                continue;
            }
            Assert.Equal(["controllerId"], (await ProblemAssert.IsValidationProblemAsync(response)).Keys);
        }
        // A gateway may register unknown devices, but only under plain identifiers: refused as 400, not 401.
        foreach (var (method, path) in DdiRequests(server, "DEFAULT", "not%20plain"))
        {
            using var response = await SendAsync(client, method, path, new AuthenticationHeaderValue("GatewayToken", GatewayToken));

            if (method == "HEAD")
            {
                Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
                continue;
            }
            Assert.Equal(["controllerId"], (await ProblemAssert.IsValidationProblemAsync(response)).Keys);
        }
    }
}
