using System.Net.Http.Headers;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;

namespace Nova.Firmware.Server.Tests.Hardening;

/// <summary>The ids a corpus request fills route parameters with: things that exist, so requests get past "not found" to the input.</summary>
public sealed record CorpusTargets(Guid DeviceId, string ControllerId, string DdiToken, Guid PackageId, string PackageFileName, long JobId, Guid UserId, Guid ApiKeyId);

/// <summary>One malformed request: its class (what kind of malformation), the endpoint it targets, and how to build it.</summary>
public sealed record CorpusCase(string Class, string Endpoint, Func<HttpRequestMessage> Build)
{
    public override string ToString() => $"[{Class}] {Endpoint}";
}

/// <summary>
/// Builds malformed requests for every endpoint the application maps, read from its
/// <see cref="EndpointDataSource"/>: endpoints added later (rollouts, ...) are covered without
/// editing this file. Bodies are generated from each endpoint's declared request type
/// (<see cref="IAcceptsMetadata"/>), one bad value in one field at a time.
/// </summary>
public static class MalformedInputCorpus
{
    public const string ForeignOrigin = "https://attacker.example";
    private const string BadValueMarker = "__corpus_bad_value__";

    /// <summary>Raw JSON values that no field should accept, by class.</summary>
    private static readonly (string Class, string Json)[] BadStrings =
    [
        ("nul-in-text", "\"a\\u0000b\""),
        ("lone-surrogate", "\"a\\ud800b\""),
        ("control-characters", "\"a\\u001b[31mb\\r\\nc\""),
        ("over-long-text", "\"" + new string('x', 100_000) + "\""),
    ];

    private static readonly (string Class, string Json)[] BadNumbers =
    [
        ("number-overflow", "99999999999999999999999999"),
        ("number-overflow", "1e400"),
    ];

    public static IReadOnlyList<CorpusCase> Build(EndpointDataSource endpoints, CorpusTargets targets)
    {
        var cases = new List<CorpusCase>();
        foreach (var endpoint in endpoints.Endpoints.OfType<RouteEndpoint>())
        {
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [];
            if (Url(endpoint.RoutePattern, targets) is not { } url)
            {
                continue;
            }
            var ddi = url.Contains("/controller/v1/", StringComparison.Ordinal);
            var name = endpoint.RoutePattern.RawText ?? url;
            foreach (var method in methods.Where(m => m is not ("GET" or "HEAD" or "OPTIONS")))
            {
                var label = $"{method} {name}";
                if (!ddi)
                {
                    cases.AddRange(CrossSite(method, url, label, targets));
                }
                var accepts = endpoint.Metadata.GetMetadata<IAcceptsMetadata>();
                if (accepts is null)
                {
                    continue;
                }
                cases.AddRange(MalformedBodies(method, url, label, accepts, targets, ddi));
            }
            if (methods.FirstOrDefault() is { } anyMethod)
            {
                var longUrl = $"{url}?x={new string('x', 9000)}";
                cases.Add(new("over-long-request-line", $"{anyMethod} {name}", () => ddi ? Device(anyMethod, longUrl, null, targets) : Admin(anyMethod, longUrl, null)));
            }
            if (methods.Contains("GET"))
            {
                cases.AddRange(MalformedQueries(endpoint, url, $"GET {name}", targets, ddi));
            }
        }
        cases.AddRange(DdiSpecific(targets));
        return cases;
    }

    /// <summary>A browser on another site submitting to the management API: refused whatever the body.</summary>
    private static IEnumerable<CorpusCase> CrossSite(string method, string url, string label, CorpusTargets targets)
    {
        yield return new("foreign-origin", label, () => Admin(method, url, Json("{}"), r => r.Headers.Add("Origin", ForeignOrigin)));
        yield return new("form-from-opaque-origin", label, () => Admin(method, url, Form("a=b"), r => r.Headers.Add("Origin", "null")));
        yield return new("form-cross-site-fetch", label, () => Admin(method, url, Form("a=b"), r => r.Headers.Add("Sec-Fetch-Site", "cross-site")));
        yield return new("multipart-cross-site", label, () => Admin(method, url, Multipart(), r => r.Headers.Add("Origin", ForeignOrigin)));
    }

    private static IEnumerable<CorpusCase> MalformedBodies(string method, string url, string label, IAcceptsMetadata accepts, CorpusTargets targets, bool ddi)
    {
        Func<HttpContent, HttpRequestMessage> send = content => ddi ? Device(method, url, content, targets) : Admin(method, url, content);
        var json = accepts.ContentTypes.Count == 0 || accepts.ContentTypes.Any(t => t.Contains("json", StringComparison.OrdinalIgnoreCase));
        var multipart = accepts.ContentTypes.Any(t => t.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase));
        if (json)
        {
            yield return new("garbage-body", label, () => send(Json("\u0001\u00ff not json at all")));
            yield return new("truncated-json", label, () => send(Json("{\"a\": \"b")));
            yield return new("wrong-json-shape", label, () => send(Json("[1, 2, 3]")));
            yield return new("wrong-content-type", label, () => send(new StringContent("{}", Encoding.UTF8, "application/xml")));
            if (accepts.RequestType is { } type && type != typeof(string) && !type.IsAssignableTo(typeof(IFormFile)))
            {
                foreach (var (badClass, body) in FieldVariants(type))
                {
                    yield return new(badClass, label, () => send(Json(body)));
                }
            }
        }
        if (multipart)
        {
            yield return new("multipart-without-boundary", label, () => send(Raw("--x\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nb\r\n--x--\r\n", "multipart/form-data")));
            yield return new("multipart-truncated", label, () => send(Raw("--b1\r\nContent-Disposition: form-data; name=\"vendor\"\r\n\r\nAx", "multipart/form-data; boundary=b1")));
            yield return new("multipart-oversized-part-header", label, () => send(Raw(
                $"--b1\r\nContent-Disposition: form-data; name=\"vendor\"\r\nX-Filler: {new string('h', 64 * 1024)}\r\n\r\nAxiom\r\n--b1--\r\n", "multipart/form-data; boundary=b1")));
            yield return new("multipart-too-many-parts", label, () => send(Raw(
                string.Concat(Enumerable.Range(0, 5000).Select(i => $"--b1\r\nContent-Disposition: form-data; name=\"f{i}\"\r\n\r\nv\r\n")) + "--b1--\r\n",
                "multipart/form-data; boundary=b1")));
            yield return new("multipart-nul-in-field", label, () => send(Raw(
                "--b1\r\nContent-Disposition: form-data; name=\"vendor\"\r\n\r\nAx\0iom\r\n--b1--\r\n", "multipart/form-data; boundary=b1")));
        }
    }

    private static IEnumerable<CorpusCase> MalformedQueries(RouteEndpoint endpoint, string url, string label, CorpusTargets targets, bool ddi)
    {
        var parameters = endpoint.Metadata.GetOrderedMetadata<IParameterBindingMetadata>().Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (parameters.Contains("page") || parameters.Contains("query"))
        {
            foreach (var query in new[] { "page=2147483647&pageSize=500", "page=99999999999", "pageSize=-1", "page=0", "page=%00" })
            {
                yield return new("paging-overflow", label, () => Admin("GET", $"{url}?{query}", null));
            }
        }
        var serves = endpoint.RoutePattern.RawText ?? "";
        if (serves.EndsWith("/content", StringComparison.Ordinal) || serves.Contains("/artifacts/", StringComparison.Ordinal))
        {
            var longRange = "bytes=" + string.Join(",", Enumerable.Range(0, 2000).Select(i => $"{i * 2}-{i * 2}"));
            foreach (var (rangeClass, range) in new[] { ("over-long-range", longRange), ("unsatisfiable-range", "bytes=999999999-"), ("garbage-range", "bytes=z-a") })
            {
                yield return new(rangeClass, label, () =>
                {
                    var request = ddi ? Device("GET", url, null, targets) : Admin("GET", url, null);
                    request.Headers.TryAddWithoutValidation("Range", range);
                    return request;
                });
            }
        }
    }

    /// <summary>Device-facing inputs with DDI's own shapes: configData attributes and feedback.</summary>
    private static IEnumerable<CorpusCase> DdiSpecific(CorpusTargets t)
    {
        var root = $"/DEFAULT/controller/v1/{t.ControllerId}";
        string Config(string data, string mode = "merge") => $"{{\"mode\":\"{mode}\",\"data\":{data}}}";
        (string Class, string Body)[] configs =
        [
            ("nul-in-text", Config("{\"vendor\":\"Ac\\u0000me\"}")),
            ("nul-in-text", Config("{\"x\\u0000y\":\"v\"}")),
            ("lone-surrogate", Config("{\"model\":\"\\udc00\"}")),
            ("control-characters", Config("{\"firmwareVersion\":\"1.0\\u001b\"}")),
            ("over-long-text", Config($"{{\"vendor\":\"{new string('v', 101)}\"}}")),
            ("over-long-text", Config($"{{\"bootMode\":\"{new string('b', 31)}\"}}")),
            ("over-long-text", Config($"{{\"custom\":\"{new string('c', 5000)}\"}}")),
            ("out-of-range", Config("{\"freeBytes\":\"-5\"}")),
            ("out-of-range", Config("{\"freeBytes\":\"99999999999999999999999\"}")),
            ("out-of-range", Config("{\"freeBytes\":\"2000\",\"totalBytes\":\"1000\"}")),
            ("out-of-range", Config("{\"powerFeed\":\"sw-1:70000\"}")),
            ("unknown-enumeration", Config("{\"vendor\":\"Acme\"}", mode: "explode")),
            ("too-many-attributes", Config("{" + string.Join(",", Enumerable.Range(0, 500).Select(i => $"\"a{i}\":\"v\"")) + "}")),
        ];
        foreach (var (badClass, body) in configs)
        {
            yield return new(badClass, "PUT ddi configData", () => Device("PUT", $"{root}/configData", Json(body), t));
        }
        string Feedback(string execution, string finished, string details) =>
            $"{{\"id\":\"{t.JobId}\",\"status\":{{\"execution\":\"{execution}\",\"result\":{{\"finished\":\"{finished}\"}},\"details\":[{details}]}}}}";
        (string Class, string Body)[] feedbacks =
        [
            ("nul-in-text", Feedback("proceeding", "none", "\"bad\\u0000detail\"")),
            ("unknown-enumeration", Feedback("exploded", "none", "\"x\"")),
            ("unknown-enumeration", Feedback("closed", "maybe", "\"x\"")),
            ("garbage-body", "\u0001\u0002 not feedback"),
            ("over-long-text", Feedback("proceeding", "none", $"\"{new string('d', 9000)}\"")),
            ("oversized-body", Feedback("proceeding", "none", string.Join(",", Enumerable.Range(0, 200).Select(_ => $"\"{new string('d', 6000)}\"")))),
        ];
        foreach (var (badClass, body) in feedbacks)
        {
            yield return new(badClass, "POST ddi feedback", () => Device("POST", $"{root}/deploymentBase/{t.JobId}/feedback", Json(body), t));
            yield return new(badClass, "POST ddi cancel feedback", () => Device("POST", $"{root}/cancelAction/{t.JobId}/feedback", Json(body), t));
        }
        yield return new("unknown-tenant", "PUT ddi configData", () => Device("PUT", $"/OTHER/controller/v1/{t.ControllerId}/configData", Json(Config("{\"vendor\":\"Acme\"}")), t));
        yield return new("unknown-tenant", "POST ddi feedback", () => Device("POST", $"/OTHER/controller/v1/{t.ControllerId}/deploymentBase/{t.JobId}/feedback",
            Json(Feedback("closed", "success", "\"ok\"")), t));
    }

    /// <summary>The request type as JSON, once per field with a bad value in it (strings, string lists and maps, numbers), two levels deep.</summary>
    public static IEnumerable<(string Class, string Body)> FieldVariants(Type type)
    {
        foreach (var path in Leaves(type, depth: 0))
        {
            var bad = path.Kind == LeafKind.Number ? BadNumbers : BadStrings;
            foreach (var (badClass, json) in bad)
            {
                JsonNode leaf = path.Kind switch
                {
                    LeafKind.StringList => new JsonArray(BadValueMarker),
                    LeafKind.StringMap => new JsonObject { ["key"] = BadValueMarker },
                    LeafKind.String or LeafKind.Number => BadValueMarker,
                    _ => BadValueMarker,
                };
                var node = Nest(path.Names, 0, leaf);
                yield return (badClass, node.ToJsonString().Replace($"\"{BadValueMarker}\"", json, StringComparison.Ordinal));
            }
        }
    }

    /// <summary>{"a": {"b": leaf}}; a "[]" name wraps what follows in a one-element array.</summary>
    private static JsonNode Nest(IReadOnlyList<string> names, int at, JsonNode leaf)
    {
        if (at == names.Count)
        {
            return leaf;
        }
        if (names[at] == ListMarker)
        {
            return new JsonArray(Nest(names, at + 1, leaf));
        }
        return new JsonObject { [names[at]] = Nest(names, at + 1, leaf) };
    }

    private const string ListMarker = "[]";

    private enum LeafKind { String, StringList, StringMap, Number }

    private sealed record Leaf(IReadOnlyList<string> Names, LeafKind Kind);

    private static IEnumerable<Leaf> Leaves(Type type, int depth)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0))
        {
            var name = property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(property.Name);
            var t = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (t == typeof(string))
            {
                yield return new([name], LeafKind.String);
            }
            else if (t.IsPrimitive && t != typeof(bool) || t == typeof(decimal))
            {
                yield return new([name], LeafKind.Number);
            }
            else if (t.IsAssignableTo(typeof(IEnumerable<string>)))
            {
                yield return new([name], LeafKind.StringList);
            }
            else if (t.IsAssignableTo(typeof(IEnumerable<KeyValuePair<string, string>>)))
            {
                yield return new([name], LeafKind.StringMap);
            }
            else if (depth < 2 && t.IsClass && t != typeof(object) && !t.IsAssignableTo(typeof(System.Collections.IEnumerable)))
            {
                foreach (var inner in Leaves(t, depth + 1))
                {
                    yield return inner with { Names = [name, .. inner.Names] };
                }
            }
            else if (depth < 2 && t.IsGenericType && t.GetGenericArguments() is [var item] && item.IsClass && item != typeof(string) && t.IsAssignableTo(typeof(System.Collections.IEnumerable)))
            {
                // A list of objects: one element with the bad field, e.g. {"devices":[{"xAddr": bad}]}.
                foreach (var inner in Leaves(item, depth + 1))
                {
                    yield return inner with { Names = [name, ListMarker, .. inner.Names] };
                }
            }
        }
    }

    /// <summary>Fills a route template with the seeded ids; null for routes the corpus cannot fill (catch-alls).</summary>
    private static string? Url(RoutePattern pattern, CorpusTargets t)
    {
        var segments = new List<string>();
        var raw = pattern.RawText ?? "";
        foreach (var segment in pattern.PathSegments)
        {
            var text = new StringBuilder();
            foreach (var part in segment.Parts)
            {
                switch (part)
                {
                    case RoutePatternLiteralPart literal:
                        text.Append(literal.Content);
                        break;
                    case RoutePatternSeparatorPart separator:
                        text.Append(separator.Content);
                        break;
                    case RoutePatternParameterPart { IsCatchAll: true }:
                        return null;
                    case RoutePatternParameterPart parameter:
                        text.Append(Value(parameter, raw, t));
                        break;
                    default:
                        break;
                }
            }
            segments.Add(text.ToString());
        }
        return "/" + string.Join("/", segments);
    }

    private static string Value(RoutePatternParameterPart parameter, string route, CorpusTargets t)
    {
        var constraint = string.Join(",", parameter.ParameterPolicies.Select(p => p.Content));
        return parameter.Name switch
        {
            "tenant" => "DEFAULT",
            "controllerId" => t.ControllerId,
            "fileName" => t.PackageFileName,
            "moduleId" => t.PackageId.ToString(),
            "actionId" => t.JobId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "site" => "hq",
            "slug" => "firmware-flash-failed",
            _ when constraint.Contains("guid", StringComparison.Ordinal) =>
                route.Contains("/users", StringComparison.Ordinal) ? t.UserId.ToString()
                : route.Contains("/api-keys", StringComparison.Ordinal) ? t.ApiKeyId.ToString()
                : route.Contains("/packages", StringComparison.Ordinal) ? t.PackageId.ToString()
                : t.DeviceId.ToString(),
            _ when constraint.Contains("long", StringComparison.Ordinal) || constraint.Contains("int", StringComparison.Ordinal) =>
                t.JobId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            _ => "corpus",
        };
    }

    private static HttpRequestMessage Admin(string method, string url, HttpContent? content, Action<HttpRequestMessage>? also = null)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), url) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"admin:{Infrastructure.NovaServer.AdminPassword}")));
        also?.Invoke(request);
        return request;
    }

    private static HttpRequestMessage Device(string method, string url, HttpContent? content, CorpusTargets t)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), url) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("TargetToken", t.DdiToken);
        return request;
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static StringContent Form(string body) => new(body, Encoding.UTF8, "application/x-www-form-urlencoded");

    private static MultipartFormDataContent Multipart() => new() { { new StringContent("Axiom"), "vendor" } };

    private static ByteArrayContent Raw(string body, string contentType)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return content;
    }
}
