using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Nova.Firmware.Persistence;
using Nova.Firmware.Server.Tests.Builders;
using Nova.Firmware.Server.Tests.Ddi;
using Nova.Firmware.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Nova.Firmware.Server.Tests.Hardening;

/// <summary>
/// Throws the malformed-input corpus at every endpoint the server maps and checks each answer: a 4xx
/// problem document, and every table (but the audit log) exactly as before. On both databases:
/// PostgreSQL refuses text SQLite stores, so a missing check shows as a 500 on one of them.
/// </summary>
public sealed class MalformedInputCorpusTests(ITestOutputHelper output)
{
    private static readonly IReadOnlyDictionary<string, string> Settings = new Dictionary<string, string>
    {
        // No background work: the only writer is the request under test.
        ["Nova:Engine:RunLoops"] = "false",
        ["Nova:Ddi:ActionCacheTime"] = "00:00:00",
    };

    private static readonly HashSet<string> HarmlessWhenNothingStored = new(StringComparer.Ordinal) { "control-characters", "over-long-text", "garbage-range" };

    [Theory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task EveryEndpoint_MalformedInput_Answers4xxProblemAndChangesNothing(DatabaseProvider provider)
    {
        await using var server = await NovaServer.StartAsync(provider, settings: Settings);
        var targets = await SeedAsync(server);
        var cases = MalformedInputCorpus.Build(server.Services.GetRequiredService<EndpointDataSource>(), targets);
        using var client = server.CreateClient();

        var failures = new List<string>();
        var tried = new Dictionary<string, (int Tried, int Refused)>(StringComparer.Ordinal);
        var before = await DatabaseDump.TakeAsync(server);
        foreach (var corpusCase in cases)
        {
            using var request = corpusCase.Build();
            using var response = await client.SendAsync(request);
            var status = (int)response.StatusCode;
            var mediaType = response.Content.Headers.ContentType?.MediaType;
            var after = await DatabaseDump.TakeAsync(server);
            var changed = DatabaseDump.Differences(before, after);
            var refused = status is >= 400 and < 500 && mediaType == "application/problem+json" && changed.Count == 0;
            // Some inputs are malformed for one endpoint and fine for another: control characters and
            // long lines in a pasted log (diagnosis), a Range that does not parse (ignored, as HTTP
            // allows). For those classes an answer that stored nothing is harmless.
            var harmless = !refused && HarmlessWhenNothingStored.Contains(corpusCase.Class) && status is >= 200 and < 300 && changed.Count == 0;
            var counts = tried.GetValueOrDefault(corpusCase.Class);
            tried[corpusCase.Class] = (counts.Tried + 1, counts.Refused + (refused ? 1 : 0));
            if (harmless)
            {
                output.WriteLine($"{provider} accepted harmlessly (nothing stored): {corpusCase} {status}");
            }
            else if (!refused)
            {
                var body = await response.Content.ReadAsStringAsync();
                failures.Add($"{corpusCase}: {status} {mediaType} {(body.Length > 200 ? body[..200] : body)}{(changed.Count > 0 ? " CHANGED " + string.Join("; ", changed) : "")}");
                before = after;
            }
        }
        foreach (var (name, (count, refusedCount)) in tried.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"{provider} {name}: {count} tried, {refusedCount} refused");
        }
        output.WriteLine($"{provider} total: {tried.Values.Sum(v => v.Tried)} tried, {tried.Values.Sum(v => v.Refused)} refused, {cases.Select(c => c.Endpoint).Distinct().Count()} endpoints");
        Assert.True(failures.Count == 0, $"{failures.Count} of {cases.Count} malformed inputs were not refused cleanly:\n" + string.Join("\n", failures));
    }

    [Fact]
    public async Task Corpus_CoversEveryStateChangingEndpoint()
    {
        // A guard against the corpus silently skipping endpoints: every POST/PUT/DELETE route the
        // application maps appears in it (the rollout endpoints, once merged, included).
        await using var server = await NovaServer.StartAsync(settings: Settings);
        var endpoints = server.Services.GetRequiredService<EndpointDataSource>();
        var targets = new CorpusTargets(Guid.NewGuid(), "c", "t", Guid.NewGuid(), "f.bin", 1, Guid.NewGuid(), Guid.NewGuid());
        var covered = MalformedInputCorpus.Build(endpoints, targets).Select(c => c.Endpoint).ToHashSet(StringComparer.Ordinal);
        var mutating = endpoints.Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.IHttpMethodMetadata>()?.HttpMethods ?? [])
                .Where(m => m is "POST" or "PUT" or "PATCH" or "DELETE")
                .Select(m => $"{m} {e.RoutePattern.RawText}"))
            .Where(e => !e.Contains("/controller/v1/", StringComparison.Ordinal))
            .ToList();
        Assert.NotEmpty(mutating);
        Assert.All(mutating, e => Assert.Contains(e, covered));
    }

    /// <summary>Something of every kind, so requests reach their input checks instead of stopping at "not found".</summary>
    private static async Task<CorpusTargets> SeedAsync(NovaServer server)
    {
        var device = FleetBuilder.Gateway("corpus-gw");
        device.Site = "hq";
        var ddi = await DdiFixture.EnrolAsync(server, device, checkIn: false);
        var token = ddi.Token;
        var package = await server.AddPackageAsync(PackageUploadBytes(), fileName: "corpus.swu");
        var jobId = await DdiFixture.StartJobAsync(server, device.Id, package.Id);
        var (_, user) = await server.CreateUserClientAsync("operator");
        var key = await server.CreateApiKeyAsync("corpus", "viewer");
        using var admin = server.CreateAdminClient();
        (await admin.PutAsJsonAsync("/api/v1/sites/hq/credentials", new { username = "onvif", password = "camera-secret" })).EnsureSuccessStatusCode();
        return new CorpusTargets(device.Id, device.ControllerId, token, package.Id, package.FileName, jobId, user.Id, key.Id);
    }

    private static byte[] PackageUploadBytes()
    {
        var bytes = new byte[4096];
        Random.Shared.NextBytes(bytes);
        return bytes;
    }
}
