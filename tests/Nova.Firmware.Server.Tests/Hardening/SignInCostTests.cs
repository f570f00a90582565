using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Nova.Firmware.Domain.Accounts;
using Nova.Firmware.Persistence;
using Nova.Firmware.Server.Endpoints.Management.Accounts;
using Nova.Firmware.Server.Tests.Infrastructure;

namespace Nova.Firmware.Server.Tests.Hardening;

/// <summary>
/// No user enumeration by timing: an unknown user's sign-in, a known user's wrong password and a
/// disabled user's sign-in run the same password check (one PBKDF2 derivation of the same cost) and
/// get the same answer. Cost is compared through the hasher's recorded work, never a clock.
/// </summary>
public sealed partial class SignInCostTests
{
    private const string WrongPassword = "wrong-password-123";

    /// <summary>The sign-ins that must not be told apart, by name and password.</summary>
    private static async Task<List<(string What, string UserName, string Password)>> SignInsAsync(NovaServer server)
    {
        var (_, disabled) = await server.CreateUserClientAsync("viewer");
        using var admin = server.CreateAdminClient();
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"/api/v1/users/{disabled.Id}", new UserUpdateRequest(Disabled: true))).StatusCode);
        return
        [
            ("known user, wrong password", "admin", WrongPassword),
            ("unknown user", "nobody-at-all", WrongPassword),
            ("unknown user whose name cannot be stored", new string('n', 300), WrongPassword),
            ("disabled user, wrong password", disabled.UserName, WrongPassword),
            ("disabled user, right password", disabled.UserName, Infrastructure.Accounts.Password),
        ];
    }

    private static Task<NovaServer> StartAsync(DatabaseProvider provider, RecordingPasswordHasher hasher) =>
        NovaServer.StartAsync(provider, services => services.AddSingleton<IPasswordHasher<User>>(hasher), new Dictionary<string, string>
        {
            // Every sign-in here must reach the password check, not the throttle.
            ["Nova:Engine:RunLoops"] = "false", ["Nova:SignIn:FreeFailuresPerUser"] = "100", ["Nova:SignIn:FreeFailuresPerAddress"] = "100",
        });

    [Theory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task BasicSignIn_UnknownOrDisabledUser_SameHashWorkAndAnswerAsWrongPassword(DatabaseProvider provider)
    {
        var hasher = new RecordingPasswordHasher();
        await using var server = await StartAsync(provider, hasher);
        var signIns = await SignInsAsync(server);
        hasher.TakeChecks();

        var seen = new List<(string What, HashWork Work, string Answer)>();
        foreach (var (what, userName, password) in signIns)
        {
            using var client = server.CreateBasicClient(userName, password);
            using var response = await client.GetAsync("/api/v1/devices");

            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            var work = Assert.Single(hasher.TakeChecks());
            seen.Add((what, work, $"{response.Headers.WwwAuthenticate} {WithoutTraceId(await response.Content.ReadAsStringAsync())}"));
        }

        AssertAllLike(seen);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task ConsoleSignIn_UnknownOrDisabledUser_SameHashWorkAndAnswerAsWrongPassword(DatabaseProvider provider)
    {
        var hasher = new RecordingPasswordHasher();
        await using var server = await StartAsync(provider, hasher);
        var signIns = await SignInsAsync(server);
        hasher.TakeChecks();

        var seen = new List<(string What, HashWork Work, string Answer)>();
        foreach (var (what, userName, password) in signIns)
        {
            using var client = NoRedirectClient(server);
            using var response = await ConsoleSignInAsync(client, userName, password);

            var work = Assert.Single(hasher.TakeChecks());
            var page = await response.Content.ReadAsStringAsync();
            seen.Add((what, work, $"{(int)response.StatusCode} {ErrorMessage().Match(page).Groups[1].Value} {response.Headers.Contains("Set-Cookie")}"));
        }

        Assert.Contains("Wrong user name or password.", seen[0].Answer, StringComparison.Ordinal);
        AssertAllLike(seen);
    }

    [Fact]
    public async Task ConsoleSignIn_RightPassword_OneCheckOfTheSameWork()
    {
        // The reference the others are compared with is a real check: the right password passes through it too.
        var hasher = new RecordingPasswordHasher();
        await using var server = await StartAsync(DatabaseProvider.Sqlite, hasher);
        using var wrongClient = NoRedirectClient(server);
        using var wrong = await ConsoleSignInAsync(wrongClient, "admin", WrongPassword);
        var wrongWork = Assert.Single(hasher.TakeChecks());
        using var client = NoRedirectClient(server);

        using var right = await ConsoleSignInAsync(client, "admin", NovaServer.AdminPassword);

        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
        Assert.Equal(wrongWork, Assert.Single(hasher.TakeChecks()));
    }

    /// <summary>Every sign-in did the first one's work (a real PBKDF2 check) and got its answer.</summary>
    private static void AssertAllLike(List<(string What, HashWork Work, string Answer)> seen)
    {
        var reference = seen[0];
        Assert.Equal(1, reference.Work.Format); // Identity v3: PBKDF2 with the stored iteration count
        Assert.True(reference.Work.Iterations >= 100_000, $"{reference.Work.Iterations} iterations");
        foreach (var (what, work, answer) in seen.Skip(1))
        {
            Assert.True(reference.Work == work, $"{what}: {work}, but {reference.What}: {reference.Work}");
            Assert.True(reference.Answer == answer, $"{what}: {answer}, but {reference.What}: {reference.Answer}");
        }
    }

    private static HttpClient NoRedirectClient(NovaServer server) =>
        server.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    /// <summary>The console's form post, as a browser sends it: antiforgery token and cookie from the page first.</summary>
    private static async Task<HttpResponseMessage> ConsoleSignInAsync(HttpClient client, string userName, string password)
    {
        var form = await client.GetStringAsync("/console/sign-in");
        var token = AntiforgeryToken().Match(form);
        Assert.True(token.Success, "The sign-in page carries an antiforgery token.");
        using var post = new HttpRequestMessage(HttpMethod.Post, "/console/sign-in")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["_handler"] = "sign-in", ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value),
                ["Input.UserName"] = userName, ["Input.Password"] = password,
            }),
        };
        return await client.SendAsync(post);
    }

    private static string WithoutTraceId(string body)
    {
        var json = System.Text.Json.Nodes.JsonNode.Parse(body)!.AsObject();
        json.Remove("traceId");
        return json.ToJsonString();
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();

    // The message is the first text inside the alert, wherever the component library nests it.
    [GeneratedRegex("data-testid=\"sign-in-error\".*?>\\s*([^<>\\s][^<>]*)<", RegexOptions.Singleline)]
    private static partial Regex ErrorMessage();
}
